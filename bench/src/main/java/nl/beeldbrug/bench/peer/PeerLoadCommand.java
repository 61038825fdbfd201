package nl.beeldbrug.bench.peer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code peer-load}: loads a generated corpus ({@code DIR/fhir/organizations.json}, then every
 * {@code DIR/fhir/bundle-*.json}, see NATIONAL-CORPUS.md) into a FHIR server by POSTing each transaction bundle to
 * its base. Resumable: every finished bundle is appended to {@code DIR/progress/peer-load.done} and a rerun skips
 * those; {@code --restart} forgets them (a new, empty peer database). The first non-2xx answer stops the load with
 * the server's message and exit code 1.
 */
@Command(name = "peer-load", mixinStandardHelpOptions = true,
        description = "POSTs the corpus's FHIR transaction bundles to a FHIR server (the peer); resumable.")
public final class PeerLoadCommand implements Callable<Integer> {

    static final String DONE_FILE = "peer-load.done";
    static final String ORGANIZATIONS = "organizations.json";
    private static final Pattern ENTRY = Pattern.compile("\"method\"\\s*:\\s*\"(?:PUT|POST)\"");
    private static final Pattern STUDY = Pattern.compile("\"url\"\\s*:\\s*\"ImagingStudy/");

    @Option(names = "--base", required = true, description = "FHIR base of the peer, e.g. http://127.0.0.1:8090/fhir")
    String base;

    @Option(names = "--corpus", required = true, description = "The generator's output directory.")
    Path corpus;

    @Option(names = "--concurrency", defaultValue = "4", description = "Bundles in flight at once.")
    int concurrency;

    @Option(names = "--max-studies", description = "Load only the first bundles, up to the one that reaches this many studies"
            + " (a peer with part of the corpus).")
    Long maxStudies;

    @Option(names = "--restart", description = "Forget recorded progress (the peer's database is new).")
    boolean restart;

    @Option(names = "--progress-seconds", defaultValue = "10", description = "Seconds between progress lines.")
    int progressSeconds;

    @Option(names = "--timeout-seconds", defaultValue = "600", description = "Per bundle.")
    int timeoutSeconds;

    /** What a load did (for the summary and tests). */
    record Summary(int bundles, int skipped, long resources, long studies, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        try {
            Summary s = load();
            System.out.printf(Locale.ROOT, "peer-load: %,d bundles loaded (%,d skipped as done), %,d resources, %,d studies in %.1f s:"
                            + " %.0f resources/s, %.0f studies/s%n", s.bundles(), s.skipped(), s.resources(), s.studies(), s.seconds(),
                    s.resources() / Math.max(s.seconds(), 1e-3), s.studies() / Math.max(s.seconds(), 1e-3));
            return 0;
        } catch (LoadFailed e) {
            System.err.println("peer-load: " + e.getMessage());
            return 1;
        }
    }

    Summary load() throws IOException, InterruptedException {
        String fhirBase = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        Path fhirDir = corpus.resolve("fhir");
        Path progressDir = corpus.resolve("progress");
        Files.createDirectories(progressDir);
        Path doneFile = progressDir.resolve(DONE_FILE);
        if (restart) {
            Files.deleteIfExists(doneFile);
        }
        Set<String> done = Files.exists(doneFile)
                ? new HashSet<>(Files.readAllLines(doneFile, StandardCharsets.UTF_8)) : new HashSet<>();
        List<Path> bundles;
        try (Stream<Path> files = Files.list(fhirDir)) {
            bundles = files.filter(p -> p.getFileName().toString().matches("bundle-\\d+\\.json")).sorted().toList();
        }
        if (maxStudies != null) {
            bundles = firstBundlesWith(bundles, maxStudies);
        }
        Path organizations = fhirDir.resolve(ORGANIZATIONS);
        if (!Files.exists(organizations) && bundles.isEmpty()) {
            throw new LoadFailed("no " + ORGANIZATIONS + " and no bundle-*.json in " + fhirDir);
        }
        List<Path> todo = new ArrayList<>();
        if (Files.exists(organizations) && !done.contains(ORGANIZATIONS)) {
            todo.add(organizations);
        }
        int skipped = done.contains(ORGANIZATIONS) ? 1 : 0;
        for (Path b : bundles) {
            if (done.contains(b.getFileName().toString())) {
                skipped++;
            } else {
                todo.add(b);
            }
        }
        int total = todo.size();
        System.out.printf(Locale.ROOT, "peer-load: %s -> %s: %,d bundles to load, %,d already done (%s)%n",
                corpus, fhirBase, total, skipped, doneFile);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicLong resources = new AtomicLong();
        AtomicLong studies = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        long t0 = System.nanoTime();
        Thread progress = progressThread(total, finished, resources, t0);
        AtomicReference<LoadFailed> failure = new AtomicReference<>();
        try {
            // The organizations first and alone: every study's series performer references one of them.
            if (!todo.isEmpty() && todo.get(0).equals(organizations)) {
                post(client, fhirBase, organizations, doneFile, resources, studies);
                finished.incrementAndGet();
                todo.remove(0);
            }
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, concurrency));
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (Path bundle : todo) {
                    futures.add(pool.submit(() -> {
                        if (failure.get() != null) {
                            return null;
                        }
                        try {
                            post(client, fhirBase, bundle, doneFile, resources, studies);
                            finished.incrementAndGet();
                        } catch (LoadFailed e) {
                            failure.compareAndSet(null, e);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        failure.compareAndSet(null, new LoadFailed(String.valueOf(e.getCause())));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        } finally {
            progress.interrupt();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Summary((int) finished.get(), skipped, resources.get(), studies.get(), seconds);
    }

    private void post(HttpClient client, String fhirBase, Path bundle, Path doneFile, AtomicLong resources, AtomicLong studies) {
        String name = bundle.getFileName().toString();
        try {
            String body = Files.readString(bundle, StandardCharsets.UTF_8);
            HttpRequest request = HttpRequest.newBuilder(URI.create(fhirBase))
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("Content-Type", "application/fhir+json; charset=UTF-8")
                    .header("Accept", "application/fhir+json")
                    .header("Prefer", "return=minimal")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String text = response.body() == null ? "" : response.body();
                throw new LoadFailed(name + ": HTTP " + response.statusCode() + " from " + fhirBase + ": "
                        + text.substring(0, Math.min(text.length(), 800)));
            }
            resources.addAndGet(count(ENTRY.matcher(body)));
            studies.addAndGet(count(STUDY.matcher(body)));
            recordDone(doneFile, name);
        } catch (IOException e) {
            throw new LoadFailed(name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoadFailed(name + ": interrupted");
        }
    }

    /** The shortest prefix of {@code bundles} holding at least {@code studies} studies (all of them when fewer). */
    static List<Path> firstBundlesWith(List<Path> bundles, long studies) throws IOException {
        long n = 0;
        int k = 0;
        while (k < bundles.size() && n < studies) {
            n += count(STUDY.matcher(Files.readString(bundles.get(k), StandardCharsets.UTF_8)));
            k++;
        }
        return bundles.subList(0, k);
    }

    private static synchronized void recordDone(Path doneFile, String name) throws IOException {
        Files.writeString(doneFile, name + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }

    private Thread progressThread(int total, AtomicLong finished, AtomicLong resources, long t0) {
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(progressSeconds * 1000L);
                } catch (InterruptedException e) {
                    return;
                }
                long n = finished.get();
                double seconds = (System.nanoTime() - t0) / 1e9;
                double perBundle = n > 0 ? seconds / n : 0;
                String eta = n > 0 && n < total ? String.format(Locale.ROOT, "%.0f s", (total - n) * perBundle) : "-";
                System.out.printf(Locale.ROOT, "  %,d / %,d bundles (%.1f%%), %,d resources, %,.0f resources/s, elapsed %.0f s, ETA %s%n",
                        n, total, total == 0 ? 100.0 : 100.0 * n / total, resources.get(), resources.get() / seconds, seconds, eta);
            }
        }, "peer-load-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int count(Matcher m) {
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** A bundle the server refused, or a transport failure: the load stops. */
    static final class LoadFailed extends RuntimeException {
        LoadFailed(String message) {
            super(message);
        }
    }
}
