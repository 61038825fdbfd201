package nl.beeldbrug.bench.fhir;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.generate.CorpusProperties;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import nl.beeldbrug.bench.openmodel.LoadOptions;
import nl.beeldbrug.bench.openmodel.OpenLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fhir}: open-model load of FHIR ImagingStudy searches
 * ({@code patient.identifier=<bsn>&modality=…&started=ge…}, drawn from the corpus by
 * {@link StudyQueries}) and reads by id against a running gateway. A search is a success when it is
 * answered 200 with a searchset Bundle whose total is the number the corpus says and which holds that
 * many ImagingStudy entries; a read when it is answered 200 with that study.
 */
@Command(name = "fhir", mixinStandardHelpOptions = true,
        description = "Fixed-rate FHIR ImagingStudy search and read load (open model, latency from the intended start).")
public final class ImagingStudyLoadCommand implements Callable<Integer> {

    static final String BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn";
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");
    private static final Pattern STUDY = Pattern.compile("\"resourceType\"\\s*:\\s*\"ImagingStudy\"");
    private static final Pattern STUDY_ID = Pattern.compile("\"resourceType\"\\s*:\\s*\"ImagingStudy\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STUDY_UID = Pattern.compile("\"urn:oid:(2\\.25\\.[0-9]+)\"");

    @Option(names = "--url", required = true, description = "FHIR base, e.g. http://127.0.0.1:8080/fhir")
    String base;

    @Option(names = "--studies", defaultValue = "500000", description = "Studies of the loaded corpus (as `load --studies`).")
    int studies;

    @Option(names = "--patients", description = "Patients of the loaded corpus (default: studies / 5, as `load`).")
    Integer patients;

    @Option(names = "--corpus-seed", defaultValue = "20261129", description = "As `load --seed`.")
    long corpusSeed;

    @Option(names = "--now", defaultValue = "2026-11-01T00:00:00Z", description = "As `load --now`.")
    ZonedDateTime now;

    @Option(names = "--corpus", description = "Draw from the national corpus `generate --out DIR` wrote (DIR/corpus.properties):"
            + " patients without a deny only, the exact expected set of studies; overrides --studies/--patients/--corpus-seed/--now.")
    Path corpusDir;

    @Option(names = "--patient-param", defaultValue = "identifier",
            description = "identifier: patient.identifier=<bsn system>|<bsn> (Beeldbrug, peer: chained); reference: patient=Patient/p<n>"
                    + " (the peer's client ids; national corpus only). Default: ${DEFAULT-VALUE}.")
    String patientParam;

    @Option(names = "--count", description = "_count of every search (default: national corpus 100, else none).")
    Integer count;

    @Option(names = "--pool", defaultValue = "20000", description = "Distinct searches (and reads) drawn from the corpus.")
    int pool;

    @Option(names = "--read-rates", split = ",", defaultValue = "100", description = "Rates of the read-by-id phases (none: empty).")
    List<Integer> readRates = new ArrayList<>();

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() throws Exception {
        StudyCorpus corpus = corpusDir != null ? CorpusProperties.corpus(corpusDir)
                : new Corpus(corpusSeed, studies, patients != null ? patients : Math.max(1, studies / 5), now);
        boolean byReference = "reference".equals(patientParam);
        if (!byReference && !"identifier".equals(patientParam) || byReference && corpusDir == null) {
            System.err.println("--patient-param is identifier or reference (reference needs --corpus)");
            return 2;
        }
        Integer pageSize = count != null ? count : corpusDir != null ? Integer.valueOf(100) : null;
        String fhirBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        long t0 = System.nanoTime();
        StudyQueries.Pool drawn = corpus instanceof NationalCorpus national ? StudyQueries.drawNational(national, pool, load.seed)
                : StudyQueries.draw(corpus, pool, load.seed);
        System.out.printf(Locale.ROOT, "FHIR ImagingStudy at %s: corpus of %,d studies, %,d patients; %,d searches drawn in %.1f s"
                        + " (%.2f studies expected per search on average), warm-up %d req/s for %d s%n",
                fhirBase, corpus.studies(), corpus.patients(), pool, (System.nanoTime() - t0) / 1e9, drawn.meanExpected(),
                load.warmupRate, load.warmupSeconds);

        OpenLoop.Workload searches = random -> {
            StudyQueries.Search s = drawn.searches().get(random.nextInt(drawn.searches().size()));
            URI uri = URI.create(fhirBase + "/ImagingStudy?" + (byReference ? "patient=Patient/p" + s.patient()
                    : "patient.identifier=" + encode(BSN_SYSTEM + "|" + s.bsn()))
                    + "&modality=" + encode(StudyQueries.DCM_SYSTEM + "|" + s.modality()) + "&started=ge" + s.startedFrom()
                    + (pageSize == null ? "" : "&_count=" + pageSize));
            return new OpenLoop.Request(get(uri), response -> judgeSearch(response, s.expectedTotal(), s.expectedUids()));
        };
        OpenLoop.Workload reads = random -> {
            StudyQueries.StudyRef ref = drawn.studies().get(random.nextInt(drawn.studies().size()));
            URI uri = URI.create(fhirBase + "/ImagingStudy/" + ref.studyInstanceUid());
            return new OpenLoop.Request(get(uri), response -> judgeRead(response, ref.studyInstanceUid()));
        };
        List<LoadOptions.Series> series = new ArrayList<>();
        series.add(new LoadOptions.Series("search", searches, load.rates));
        if (!readRates.isEmpty()) {
            series.add(new LoadOptions.Series("read", reads, readRates));
        }
        HttpClient client = LoadOptions.httpClient();
        List<List<OpenLoop.Result>> results = load.run(client, series, "studies");
        if (results == null) {
            return 1;
        }
        load.writeTables(series, results, "studies", s -> "search".equals(s.name())
                ? "Search `ImagingStudy?patient.identifier=…&modality=…&started=ge…`:"
                : "Read `ImagingStudy/<Study Instance UID>`:");
        return results.stream().flatMap(List::stream).anyMatch(r -> r.ok() == 0) ? 1 : 0;
    }

    private HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(load.timeout()).header("Accept", "application/fhir+json").GET().build();
    }

    static OpenLoop.Outcome judgeSearch(HttpResponse<String> response, int expectedTotal) {
        return judgeSearch(response, expectedTotal, null);
    }

    /**
     * With {@code expectedUids}: the ImagingStudy resources' ids (else their {@code urn:oid:} Study Instance UID
     * identifiers) must be exactly that set, and a {@code total}, if the server sends one (a HAPI FHIR JPA server
     * may not), must match.
     */
    static OpenLoop.Outcome judgeSearch(HttpResponse<String> response, int expectedTotal, Set<String> expectedUids) {
        if (response.statusCode() != 200) {
            return OpenLoop.Outcome.error("http " + response.statusCode());
        }
        String body = response.body();
        Matcher total = TOTAL.matcher(body);
        boolean hasTotal = total.find();
        if (!body.contains("\"searchset\"") || !hasTotal && expectedUids == null) {
            return OpenLoop.Outcome.error("not a searchset");
        }
        if (expectedUids != null) {
            if (hasTotal && Integer.parseInt(total.group(1)) != expectedTotal) {
                return OpenLoop.Outcome.error("wrong total");
            }
            Set<String> ids = studyIds(body);
            return ids.equals(expectedUids) ? OpenLoop.Outcome.ok(ids.size()) : OpenLoop.Outcome.error("wrong studies");
        }
        int studies = count(STUDY.matcher(body));
        if (Integer.parseInt(total.group(1)) != expectedTotal || studies != expectedTotal) {
            return OpenLoop.Outcome.error("wrong result");
        }
        return OpenLoop.Outcome.ok(studies);
    }

    /** The Study Instance UIDs of a searchset's ImagingStudy resources: their ids, else their urn:oid: identifiers. */
    static Set<String> studyIds(String body) {
        Set<String> ids = new HashSet<>();
        Matcher id = STUDY_ID.matcher(body);
        while (id.find()) {
            ids.add(id.group(1));
        }
        if (ids.size() != count(STUDY.matcher(body))) {
            ids.clear();
            Matcher uid = STUDY_UID.matcher(body);
            while (uid.find()) {
                ids.add(uid.group(1));
            }
        }
        return ids;
    }

    static OpenLoop.Outcome judgeRead(HttpResponse<String> response, String studyInstanceUid) {
        if (response.statusCode() != 200) {
            return OpenLoop.Outcome.error("http " + response.statusCode());
        }
        String body = response.body();
        if (count(STUDY.matcher(body)) != 1 || !body.contains("\"id\": \"" + studyInstanceUid + "\"")
                && !body.contains("\"id\":\"" + studyInstanceUid + "\"")) {
            return OpenLoop.Outcome.error("wrong study");
        }
        return OpenLoop.Outcome.ok(1);
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
