package nl.beeldbrug.bench.iti18;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.generate.CorpusProperties;
import java.nio.file.Path;
import nl.beeldbrug.bench.openmodel.LoadOptions;
import nl.beeldbrug.bench.openmodel.OpenLoop;
import nl.beeldbrug.registry.patient.Bsn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code iti18}: open-model load of ITI-18 FindDocuments against a running gateway: a warm-up, then
 * one phase per rate; prints throughput, latency percentiles and errors per rate, and can write
 * them as a Markdown table.
 */
@Command(name = "iti18", mixinStandardHelpOptions = true,
        description = "Fixed-rate ITI-18 FindDocuments load (open model, latency from the intended start).")
public final class FindDocumentsLoadCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, description = "ITI-18 endpoint, e.g. http://127.0.0.1:8080/services/registry/iti18")
    URI url;

    @Option(names = "--patients", defaultValue = "100000", description = "Patients of the loaded corpus (as `load --patients`).")
    int patients;

    @Option(names = "--corpus", description = "Draw from the national corpus `generate --out DIR` wrote (loaded by `load --corpus DIR --lean`):"
            + " patients without a deny, each answer must hold exactly their manifests and reports. Overrides --patients.")
    Path corpusDir;

    @Mixin
    LoadOptions load;

    @Override
    public Integer call() throws Exception {
        OpenLoop.Workload workload;
        if (corpusDir != null) {
            NationalCorpus corpus = CorpusProperties.corpus(corpusDir);
            patients = corpus.patients();
            workload = nationalWorkload(url, corpus, load.timeout());
        } else {
            List<String> bsns = Corpus.bsns(patients).stream().map(Bsn::value).toList();
            workload = workload(url, bsns, load.timeout());
        }
        HttpClient client = LoadOptions.httpClient();
        System.out.printf("ITI-18 FindDocuments at %s, %,d patients, warm-up %d req/s for %d s%n", url, patients,
                load.warmupRate, load.warmupSeconds);
        List<LoadOptions.Series> series = List.of(new LoadOptions.Series("FindDocuments", workload, load.rates));
        List<List<OpenLoop.Result>> results = load.run(client, series, "entries");
        if (results == null) {
            return 1;
        }
        load.writeTables(series, results, "entries", s -> null);
        return results.get(0).stream().anyMatch(r -> r.ok() == 0) ? 1 : 0;
    }

    /**
     * FindDocuments for a random patient of the national corpus without a deny; the answer must hold exactly the
     * patient's DocumentEntries (a manifest per study and a report for those that have one).
     */
    static OpenLoop.Workload nationalWorkload(URI url, NationalCorpus corpus, Duration timeout) {
        FindDocumentsRequests requests = new FindDocumentsRequests();
        List<Bsn> all = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        int[] visible = java.util.stream.IntStream.range(0, corpus.patients()).filter(corpus::fullyVisible).toArray();
        return random -> {
            int p = visible[random.nextInt(visible.length)];
            int expected = 0;
            for (int i = 0; i < counts[p]; i++) {
                expected += corpus.hasReport(p, i) ? 2 : 1;
            }
            int entries = expected;
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", FindDocumentsRequests.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofString(requests.body(all.get(p).value(),
                            new UUID(random.nextLong(), random.nextLong()))))
                    .build();
            return new OpenLoop.Request(request, response -> {
                if (response.statusCode() != 200) {
                    return OpenLoop.Outcome.error("http");
                }
                int n = FindDocumentsRequests.entries(response.body());
                return n < 0 ? OpenLoop.Outcome.error("not Success") : n != entries ? OpenLoop.Outcome.error("wrong entries")
                        : OpenLoop.Outcome.ok(n);
            });
        };
    }

    /**
     * FindDocuments for a random one of {@code bsns} per request; an answer counts when it is a Success with at
     * least one DocumentEntry.
     */
    public static OpenLoop.Workload workload(URI url, List<String> bsns, Duration timeout) {
        FindDocumentsRequests requests = new FindDocumentsRequests();
        OpenLoop.Check check = response -> {
            if (response.statusCode() != 200) {
                return OpenLoop.Outcome.error("http");
            }
            int n = FindDocumentsRequests.entries(response.body());
            return n < 0 ? OpenLoop.Outcome.error("not Success") : n == 0 ? OpenLoop.Outcome.error("0 entries") : OpenLoop.Outcome.ok(n);
        };
        return random -> {
            String bsn = bsns.get(random.nextInt(bsns.size()));
            HttpRequest request = HttpRequest.newBuilder(url)
                    .timeout(timeout)
                    .header("Content-Type", FindDocumentsRequests.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofString(requests.body(bsn, new UUID(random.nextLong(), random.nextLong()))))
                    .build();
            return new OpenLoop.Request(request, check);
        };
    }
}
