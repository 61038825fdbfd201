package nl.beeldbrug.bench.priors;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.corpus.national.NationalStudy;
import nl.beeldbrug.bench.generate.CorpusProperties;
import java.nio.file.Path;
import nl.beeldbrug.bench.openmodel.LoadOptions;
import nl.beeldbrug.bench.openmodel.OpenLoop;
import nl.beeldbrug.registry.patient.Bsn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code prior-check}: open-model load of {@code GET /fhir/ImagingStudy/$prior-check?patient=<BSN>&code=<LOINC>}
 * for random corpus patients; an answer counts when it is HTTP 200 with at least one ranked study.
 */
@Command(name = "prior-check", mixinStandardHelpOptions = true,
        description = "Fixed-rate FHIR ImagingStudy/$prior-check load (open model, latency from the intended start).")
public final class PriorCheckLoadCommand implements Callable<Integer> {

    @Option(names = "--base", required = true, description = "FHIR base, e.g. http://127.0.0.1:8080/fhir")
    String base;

    @Option(names = "--patients", defaultValue = "100000", description = "Patients of the loaded corpus (as `load --patients`).")
    int patients;

    @Option(names = "--code", defaultValue = "http://loinc.org|24627-2", description = "Planned exam (default: ${DEFAULT-VALUE}).")
    String code;

    @Option(names = "--corpus", description = "Draw from the national corpus `generate --out DIR` wrote: a patient without a deny,"
            + " the planned exam = their latest study's modality, body site and description; the answer must rank that study."
            + " Overrides --patients and --code.")
    Path corpusDir;

    @Option(names = "--pool", defaultValue = "20000", description = "With --corpus: distinct planned orders drawn.")
    int pool;

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() throws Exception {
        OpenLoop.Workload workload;
        if (corpusDir != null) {
            NationalCorpus corpus = CorpusProperties.corpus(corpusDir);
            workload = nationalWorkload(base, corpus, pool, load.seed, load.timeout());
            patients = corpus.patients();
        } else {
            List<String> bsns = Corpus.bsns(patients).stream().map(Bsn::value).toList();
            workload = workload(base, bsns, code, load.timeout());
        }
        System.out.printf("ImagingStudy/$prior-check at %s, %,d patients, warm-up %d req/s for %d s%n", base, patients,
                load.warmupRate, load.warmupSeconds);
        List<LoadOptions.Series> series = List.of(new LoadOptions.Series("prior-check", workload, load.rates));
        List<List<OpenLoop.Result>> results = load.run(LoadOptions.httpClient(), series, "studies");
        if (results == null) {
            return 1;
        }
        load.writeTables(series, results, "studies", s -> null);
        return results.get(0).stream().anyMatch(r -> r.ok() == 0) ? 1 : 0;
    }

    /**
     * {@code $prior-check} for a random one of {@code bsns} and the planned exam {@code code} per request; an answer
     * counts when it is HTTP 200 with at least one ranked study.
     */
    public static OpenLoop.Workload workload(String base, List<String> bsns, String code, Duration timeout) {
        String codeParam = URLEncoder.encode(code, StandardCharsets.UTF_8);
        OpenLoop.Check check = response -> {
            if (response.statusCode() != 200) {
                return OpenLoop.Outcome.error("http " + response.statusCode());
            }
            int n = count(response.body(), "\"fullUrl\"");
            return n == 0 ? OpenLoop.Outcome.error("0 studies") : OpenLoop.Outcome.ok(n);
        };
        return random -> {
            String bsn = bsns.get(random.nextInt(bsns.size()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/ImagingStudy/$prior-check?patient=" + bsn + "&code=" + codeParam))
                    .timeout(timeout)
                    .header("Accept", "application/fhir+json")
                    .GET()
                    .build();
            return new OpenLoop.Request(request, check);
        };
    }

    /** A planned order from the national corpus and the study its answer must rank. */
    record PlannedOrder(String bsn, String modality, String bodySite, String text, String expectedStudyUid) {
    }

    /** {@code size} planned orders, each the latest study of a patient without a deny ({@link NationalCorpus#fullyVisible}). */
    static List<PlannedOrder> draw(NationalCorpus corpus, int size, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        int[] visible = java.util.stream.IntStream.range(0, corpus.patients()).filter(corpus::fullyVisible).toArray();
        List<PlannedOrder> orders = new java.util.ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int p = visible[random.nextInt(visible.length)];
            List<NationalStudy> studies = corpus.studiesOf(p, counts[p]);
            NationalStudy latest = studies.get(studies.size() - 1);
            orders.add(new PlannedOrder(bsns.get(p).value(), latest.dicomModality(), latest.exam().snomed(), latest.description(),
                    latest.studyUid()));
        }
        return orders;
    }

    static OpenLoop.Workload nationalWorkload(String base, NationalCorpus corpus, int size, long seed, Duration timeout) {
        List<PlannedOrder> orders = draw(corpus, size, seed);
        return random -> {
            PlannedOrder order = orders.get(random.nextInt(orders.size()));
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/ImagingStudy/$prior-check?patient=" + order.bsn()
                            + "&modality=" + order.modality() + "&bodysite=" + order.bodySite()
                            + "&text=" + URLEncoder.encode(order.text(), StandardCharsets.UTF_8)))
                    .timeout(timeout)
                    .header("Accept", "application/fhir+json")
                    .GET()
                    .build();
            return new OpenLoop.Request(request, response -> {
                if (response.statusCode() != 200) {
                    return OpenLoop.Outcome.error("http " + response.statusCode());
                }
                int n = count(response.body(), "\"fullUrl\"");
                return n == 0 ? OpenLoop.Outcome.error("0 studies")
                        : !response.body().contains(order.expectedStudyUid()) ? OpenLoop.Outcome.error("latest study missing")
                        : OpenLoop.Outcome.ok(n);
            });
        };
    }

    static int count(String body, String needle) {
        int n = 0;
        for (int i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
