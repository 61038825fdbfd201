package nl.beeldbrug.bench.peer;

import nl.beeldbrug.bench.openmodel.LoadOptions;
import nl.beeldbrug.bench.openmodel.OpenLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code peer-post}: the single-resource write rate of a FHIR server (the peer): an open-model load at fixed arrival
 * rates of {@code POST ImagingStudy}, each a new study (new Study Instance UID) of a patient the server already holds
 * (ids read from {@code Patient?_count=…} first). A request succeeds when answered 201. This is the figure Beeldbrug's
 * durable ITI-41 registrations are compared against.
 */
@Command(name = "peer-post", mixinStandardHelpOptions = true,
        description = "Fixed-rate single-resource POST ImagingStudy load against a FHIR server (open model).")
public final class PeerPostCommand implements Callable<Integer> {

    private static final Pattern PATIENT_ID = Pattern.compile("\"resourceType\"\\s*:\\s*\"Patient\"\\s*,\\s*\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final String[] MODALITIES = {"CT", "MR", "US", "DX", "CR", "MG", "NM"};

    @Option(names = "--base", required = true, description = "FHIR base of the peer, e.g. http://127.0.0.1:8090/fhir")
    String base;

    @Option(names = "--rate", description = "One phase at this rate (instead of --rates).")
    Integer rate;

    @Option(names = "--patients", defaultValue = "1000", description = "How many existing patients to spread the new studies over.")
    int patients;

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() throws Exception {
        if (rate != null) {
            load.rates = List.of(rate);
        }
        String fhirBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        HttpClient client = LoadOptions.httpClient();
        List<String> ids = patientIds(client, fhirBase, patients);
        if (ids.isEmpty()) {
            System.err.println("peer-post: the server at " + fhirBase + " holds no Patient; load the corpus first (peer-load)");
            return 1;
        }
        System.out.printf(Locale.ROOT, "peer-post at %s: new ImagingStudy resources for %,d existing patients, warm-up %d req/s for %d s%n",
                fhirBase, ids.size(), load.warmupRate, load.warmupSeconds);
        URI uri = URI.create(fhirBase + "/ImagingStudy");
        OpenLoop.Workload posts = random -> new OpenLoop.Request(HttpRequest.newBuilder(uri).timeout(load.timeout())
                .header("Content-Type", "application/fhir+json; charset=UTF-8")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(study(random, ids.get(random.nextInt(ids.size()))), StandardCharsets.UTF_8))
                .build(), PeerPostCommand::judge);
        List<LoadOptions.Series> series = List.of(new LoadOptions.Series("post", posts, load.rates));
        List<List<OpenLoop.Result>> results = load.run(client, series, "studies");
        if (results == null) {
            return 1;
        }
        load.writeTables(series, results, "studies", s -> "Single-resource `POST ImagingStudy` (201 Created):");
        return results.stream().flatMap(List::stream).anyMatch(r -> r.ok() == 0) ? 1 : 0;
    }

    static OpenLoop.Outcome judge(HttpResponse<String> response) {
        return response.statusCode() == 201 ? OpenLoop.Outcome.ok(1) : OpenLoop.Outcome.error("http " + response.statusCode());
    }

    static List<String> patientIds(HttpClient client, String fhirBase, int max) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fhirBase + "/Patient?_count=" + max + "&_elements=id"))
                .timeout(Duration.ofSeconds(120)).header("Accept", "application/fhir+json").GET().build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Patient search answered HTTP " + response.statusCode());
        }
        List<String> ids = new ArrayList<>();
        Matcher m = PATIENT_ID.matcher(response.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** A new ImagingStudy (the corpus's shape) with a fresh 2.25 UID, of the given patient. */
    static String study(SplittableRandom random, String patientId) {
        String uid = "2.25." + new BigInteger(126, new java.util.Random(random.nextLong())).toString();
        String modality = MODALITIES[random.nextInt(MODALITIES.length)];
        OffsetDateTime started = OffsetDateTime.of(2026, 1, 1, 8, 0, 0, 0, ZoneOffset.ofHours(1))
                .plusMinutes(random.nextInt(300 * 24 * 60));
        return """
                {"resourceType":"ImagingStudy",\
                "identifier":[{"system":"urn:dicom:uid","value":"urn:oid:%1$s"},\
                {"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v2-0203","code":"ACSN"}]},"value":"B%2$d"}],\
                "status":"available","subject":{"reference":"Patient/%3$s"},"started":"%4$s",\
                "modality":[{"system":"http://dicom.nema.org/resources/ontology/DCM","code":"%5$s"}],\
                "description":"Benchmark onderzoek","numberOfSeries":1,"numberOfInstances":1,\
                "series":[{"uid":"%1$s.1","modality":{"system":"http://dicom.nema.org/resources/ontology/DCM","code":"%5$s"},\
                "numberOfInstances":1}]}""".formatted(uid, random.nextInt(1_000_000_000), patientId, started, modality);
    }
}
