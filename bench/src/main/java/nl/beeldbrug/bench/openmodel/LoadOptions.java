package nl.beeldbrug.bench.openmodel;

import picocli.CommandLine.Option;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The options every open-model load command shares (picocli mixin), and the run they describe: a
 * warm-up phase, then one phase per rate with a pause before each; each phase printed as a line, all
 * of them as a Markdown table at the end.
 */
public final class LoadOptions {

    @Option(names = "--rates", split = ",", defaultValue = "50,100,250,500,1000", description = "Requests per second, one phase each.")
    public List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "40", description = "Length of each phase.")
    public int seconds;

    @Option(names = "--warmup-rate", defaultValue = "100")
    public int warmupRate;

    @Option(names = "--warmup-seconds", defaultValue = "30")
    public int warmupSeconds;

    @Option(names = "--grace-seconds", defaultValue = "20", description = "Sending stops this long after a phase's planned end.")
    public int graceSeconds;

    @Option(names = "--max-in-flight", defaultValue = "256", description = "Open connections at most (requests wait for one, their clock running).")
    public int maxInFlight;

    @Option(names = "--timeout-seconds", defaultValue = "30")
    public int timeoutSeconds;

    @Option(names = "--pause-seconds", defaultValue = "10", description = "Idle time between phases.")
    public int pauseSeconds;

    @Option(names = "--seed", defaultValue = "18", description = "Seed of the request sequence.")
    public long seed;

    @Option(names = "--markdown", description = "Write the results table (Markdown) to this file.")
    public Path markdown;

    @Option(names = "--connections", split = ",", description = "After the open-model phases: closed-model phases with this many"
            + " connections each (a client sends, waits, sends the next), --seconds long, for the first series.")
    public List<Integer> connections = new ArrayList<>();

    @Option(names = "--cold-seconds", defaultValue = "0", description = "Before the warm-up: a phase of this length at the"
            + " warm-up rate, reported as `cold` (run right after a restart with dropped caches).")
    public int coldSeconds;

    @Option(names = "--csv", description = "Append one row per phase (series, model, rate or connections, figures) to this CSV file.")
    public Path csv;

    /** The closed-model results of the last {@link #run}, per series (empty lists without --connections). */
    private List<List<OpenLoop.Result>> closed = List.of();

    /** The cold phase of the last {@link #run}, or null. */
    private OpenLoop.Result cold;

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** An HTTP/1.1 client on loopback: callbacks on two daemon threads, connections kept alive. */
    public static HttpClient httpClient() {
        ExecutorService callbacks = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "http-callbacks");
            t.setDaemon(true);
            return t;
        });
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(callbacks)
                .build();
    }

    /** A named sequence of phases with one workload (e.g. searches, then reads). */
    public record Series(String name, OpenLoop.Workload workload, List<Integer> rates) {
    }

    /**
     * Runs the warm-up with the first series' workload, then every series' rates; prints each phase and
     * returns the results per series (the warm-up not included), or null when the warm-up had no success.
     */
    public List<List<OpenLoop.Result>> run(HttpClient client, List<Series> series, String itemsName) throws Exception {
        OpenLoop loop = new OpenLoop(client, seed, maxInFlight, timeout());
        Duration grace = Duration.ofSeconds(graceSeconds);
        cold = null;
        if (coldSeconds > 0) {
            cold = loop.run(warmupRate, Duration.ofSeconds(coldSeconds), grace, series.get(0).workload());
            System.out.println("cold: " + Report.line(cold, itemsName));
        }
        if (warmupSeconds > 0) {
            OpenLoop.Result warm = loop.run(warmupRate, Duration.ofSeconds(warmupSeconds), grace, series.get(0).workload());
            System.out.println("warm-up: " + Report.line(warm, itemsName));
            if (warm.ok() == 0) {
                System.err.println("No successful response during the warm-up; is the corpus loaded and the gateway ready?");
                return null;
            }
        }
        List<List<OpenLoop.Result>> all = new ArrayList<>();
        for (Series s : series) {
            List<OpenLoop.Result> results = new ArrayList<>();
            for (int rate : s.rates()) {
                Thread.sleep(pauseSeconds * 1000L);
                OpenLoop.Result r = loop.run(rate, Duration.ofSeconds(seconds), grace, s.workload());
                results.add(r);
                System.out.println(s.name() + ": " + Report.line(r, itemsName));
            }
            all.add(results);
        }
        ClosedLoop closedLoop = new ClosedLoop(client, seed, timeout());
        List<List<OpenLoop.Result>> closedAll = new ArrayList<>();
        for (Series s : series) {
            List<OpenLoop.Result> results = new ArrayList<>();
            // closed phases for the first series only (the one compared across servers), to keep runs short
            for (int n : s == series.get(0) ? connections : List.<Integer>of()) {
                Thread.sleep(pauseSeconds * 1000L);
                OpenLoop.Result r = closedLoop.run(n, Duration.ofSeconds(seconds), s.workload());
                results.add(r);
                System.out.println(s.name() + " closed: " + Report.closedLine(r, itemsName));
            }
            closedAll.add(results);
        }
        closed = closedAll;
        return all;
    }

    /** Writes (and prints) the tables, one per series, headed by the series' name when there are several. */
    public void writeTables(List<Series> series, List<List<OpenLoop.Result>> results, String itemsName,
                            Function<Series, String> heading) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < series.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            String h = heading.apply(series.get(i));
            if (h != null) {
                sb.append(h).append("\n\n");
            }
            sb.append(Report.table(results.get(i), itemsName));
            if (i == 0 && cold != null) {
                sb.append("\nCold (right after start, before any warm-up), ").append(coldSeconds).append(" s at ")
                        .append(warmupRate).append(" req/s:\n\n").append(Report.table(List.of(cold), itemsName));
            }
            if (i < closed.size() && !closed.get(i).isEmpty()) {
                sb.append("\nClosed model (each connection sends the next request when the previous answer is in):\n\n")
                        .append(Report.closedTable(closed.get(i), itemsName));
            }
        }
        System.out.println();
        System.out.print(sb);
        if (markdown != null) {
            Files.writeString(markdown, sb.toString(), StandardCharsets.UTF_8);
        }
        if (csv != null) {
            StringBuilder rows = new StringBuilder();
            if (!Files.exists(csv)) {
                rows.append(Report.CSV_HEADER).append('\n');
            }
            for (int i = 0; i < series.size(); i++) {
                String name = series.get(i).name();
                if (i == 0 && cold != null) {
                    rows.append(Report.csvRow(name, "cold", cold)).append('\n');
                }
                for (OpenLoop.Result r : results.get(i)) {
                    rows.append(Report.csvRow(name, "open", r)).append('\n');
                }
                if (i < closed.size()) {
                    for (OpenLoop.Result r : closed.get(i)) {
                        rows.append(Report.csvRow(name, "closed", r)).append('\n');
                    }
                }
            }
            Files.writeString(csv, rows.toString(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
