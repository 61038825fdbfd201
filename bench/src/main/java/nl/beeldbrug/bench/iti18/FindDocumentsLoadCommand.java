package nl.beeldbrug.bench.iti18;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.registry.patient.Bsn;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    @Option(names = "--rates", split = ",", defaultValue = "50,100,250,500,1000", description = "Requests per second, one phase each.")
    List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "40", description = "Length of each phase.")
    int seconds;

    @Option(names = "--warmup-rate", defaultValue = "100")
    int warmupRate;

    @Option(names = "--warmup-seconds", defaultValue = "30")
    int warmupSeconds;

    @Option(names = "--grace-seconds", defaultValue = "20", description = "Sending stops this long after a phase's planned end.")
    int graceSeconds;

    @Option(names = "--max-in-flight", defaultValue = "256", description = "Open connections at most (requests wait for one, their clock running).")
    int maxInFlight;

    @Option(names = "--timeout-seconds", defaultValue = "30")
    int timeoutSeconds;

    @Option(names = "--pause-seconds", defaultValue = "10", description = "Idle time between phases.")
    int pauseSeconds;

    @Option(names = "--seed", defaultValue = "18")
    long seed;

    @Option(names = "--markdown", description = "Write the results table (Markdown) to this file.")
    Path markdown;

    @Override
    public Integer call() throws Exception {
        List<String> bsns = Corpus.bsns(patients).stream().map(Bsn::value).toList();
        ExecutorService callbacks = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http-callbacks");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(callbacks)
                .build();
        OpenLoop loop = new OpenLoop(client, url, bsns, seed, maxInFlight, Duration.ofSeconds(timeoutSeconds));
        Duration grace = Duration.ofSeconds(graceSeconds);

        System.out.printf("ITI-18 FindDocuments at %s, %,d patients, warm-up %d req/s for %d s%n", url, patients, warmupRate, warmupSeconds);
        if (warmupSeconds > 0) {
            OpenLoop.Result warm = loop.run(warmupRate, Duration.ofSeconds(warmupSeconds), grace);
            System.out.println("warm-up: " + line(warm));
            if (warm.ok() == 0) {
                System.err.println("No successful response during the warm-up; is the corpus loaded and the gateway ready?");
                return 1;
            }
        }
        List<OpenLoop.Result> results = new ArrayList<>();
        for (int rate : rates) {
            Thread.sleep(pauseSeconds * 1000L);
            OpenLoop.Result r = loop.run(rate, Duration.ofSeconds(seconds), grace);
            results.add(r);
            System.out.println(line(r));
        }
        String table = table(results);
        System.out.println();
        System.out.print(table);
        if (markdown != null) {
            Files.writeString(markdown, table, StandardCharsets.UTF_8);
        }
        return results.stream().anyMatch(r -> r.ok() == 0) ? 1 : 0;
    }

    private static String line(OpenLoop.Result r) {
        Histogram h = r.latency();
        return String.format(Locale.ROOT, "%5d req/s target: %,d ok of %,d in %.1f s = %.0f req/s; latency ms p50 %s p90 %s p99 %s"
                        + " p99.9 %s max %s; errors %d (http %d, not Success %d, 0 entries %d, transport %d, not sent %d);"
                        + " %.1f entries/response, max in flight %d",
                r.rate(), r.ok(), r.scheduled(), r.elapsedSeconds(), r.throughput(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                max(h), r.errors(), r.httpErrors(), r.notSuccess(), r.emptyResults(), r.transportErrors(), r.notSent(),
                r.meanEntries(), r.maxInFlight());
    }

    static String table(List<OpenLoop.Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| target req/s | duration | requests | ok | errors | throughput req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | entries/response | response KB | max in flight |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (OpenLoop.Result r : results) {
            Histogram h = r.latency();
            sb.append(String.format(Locale.ROOT, "| %d | %d s | %,d | %,d | %,d | %.0f | %s | %s | %s | %s | %s | %.1f | %.1f | %d |%n",
                    r.rate(), r.planned().toSeconds(), r.scheduled(), r.ok(), r.errors(), r.throughput(),
                    ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), max(h), r.meanEntries(), r.meanResponseBytes() / 1024,
                    r.maxInFlight()));
        }
        return sb.toString();
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String max(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", h.getMaxValue() / 1000.0);
    }
}
