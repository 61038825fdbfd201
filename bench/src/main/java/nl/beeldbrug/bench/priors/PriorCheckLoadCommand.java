package nl.beeldbrug.bench.priors;

import nl.beeldbrug.bench.corpus.Corpus;
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

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() throws Exception {
        List<String> bsns = Corpus.bsns(patients).stream().map(Bsn::value).toList();
        OpenLoop.Workload workload = workload(base, bsns, code, load.timeout());
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

    static int count(String body, String needle) {
        int n = 0;
        for (int i = body.indexOf(needle); i >= 0; i = body.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
