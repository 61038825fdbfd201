package nl.beeldbrug.bench.ingest;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.generate.CorpusProperties;
import nl.beeldbrug.bench.openmodel.LoadOptions;
import nl.beeldbrug.bench.openmodel.OpenLoop;
import nl.beeldbrug.bench.openmodel.ProcessCpu;
import nl.beeldbrug.bench.openmodel.Report;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * {@code register}: sends the corpus's studies to a running gateway through ITI-41 Provide and Register
 * Document Set-b in its RAD-68 form (KOS manifest + report, MTOM/XOP, SOAP 1.2 + WS-Addressing), one
 * study per request, and reports durable registrations per second: a registration counts once the
 * gateway answered Success, which it does only after the transaction that stored the documents and
 * the metadata committed (synchronous_commit=on). Closed model ({@code --concurrency}) for the
 * capacity, or open model ({@code --rates}) at fixed arrival rates. Requests are rendered ahead by one
 * thread; the sender's own CPU per registration is reported.
 */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "ITI-41 (RAD-68) registrations of the corpus's studies against a running gateway: durable registrations/s.")
public final class RegisterCommand implements Callable<Integer> {

    @Option(names = "--base", defaultValue = "http://127.0.0.1:8080", description = "The gateway (its ITI-41 endpoint is BASE/services/repository/iti41).")
    String base;

    @Option(names = "--studies", defaultValue = "100000", description = "Corpus size (studies).")
    int studies;

    @Option(names = "--patients", description = "Corpus patients [studies/5].")
    Integer patients;

    @Option(names = "--corpus-seed", defaultValue = "41", description = "Corpus seed (differs from the bulk loader's, so the studies are new to a loaded corpus).")
    long corpusSeed;

    @Option(names = "--now", defaultValue = "2026-11-20T12:00:00+01:00[Europe/Amsterdam]")
    ZonedDateTime now;

    @Option(names = "--corpus", description = "Register the national corpus a `generate --out DIR` describes (DIR/corpus.properties)"
            + " instead of the small bench corpus of --studies/--patients/--corpus-seed.")
    Path corpusDir;

    @Option(names = "--from", defaultValue = "0", description = "First patient (number).")
    int from;

    @Option(names = "--count", description = "Patients to send [all from --from].")
    Integer count;

    @Option(names = "--checkpoint", description = "Resumable: the first patient not yet acknowledged is kept here; a rerun continues there.")
    Path checkpointFile;

    @Option(names = "--journal", description = "Appends S(ent)/A(cknowledged)/E(rror) lines with the uniqueIds (for ingest-check).")
    Path journalFile;

    @Option(names = "--concurrency", defaultValue = "8", description = "Closed model: requests in flight.")
    int concurrency;

    @Option(names = "--duration", defaultValue = "60", description = "Closed model: seconds of sending at most (0: until the range is done).")
    int durationSeconds;

    @Option(names = "--open", description = "Open model at the fixed rates of --rates (reuses the open-model options).")
    boolean open;

    @Mixin
    LoadOptions load;

    @Option(names = "--pg-data-dir", description = "Register the range's patients (the patient feed, not timed) in the PostgreSQL running on this data directory.")
    Path pgDataDir;

    @Option(names = "--summary", description = "Write the key=value summary here.")
    Path summaryFile;

    @Option(names = "--keep-going", description = "Go on after a transport failure (default: stop sending, the gateway is gone).")
    boolean keepGoing;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong documents = new AtomicLong();
    private final Map<String, AtomicLong> errors = new java.util.concurrent.ConcurrentHashMap<>();
    private final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);

    @Override
    public Integer call() throws Exception {
        StudyCorpus corpus = corpusDir != null ? CorpusProperties.corpus(corpusDir)
                : new Corpus(corpusSeed, studies, patients == null ? Math.max(1, studies / 5) : patients, now);
        StudySource source = StudySource.of(corpus);
        int end = count == null ? source.patients() : Math.min(source.patients(), from + count);
        Checkpoint checkpoint = Checkpoint.open(checkpointFile, from);
        int first = checkpoint.start();
        if (first >= end) {
            System.out.println("nothing to send: the checkpoint is at patient " + first + ", the range ends at " + end);
            writeSummary(first, end, checkpoint, new Window(null));
            return 0;
        }
        String endpoint = base + "/services/repository/iti41";
        System.out.printf(Locale.ROOT, "register: %s, patients %d..%d, %s%n", source.description(), first, end - 1,
                open ? "open model at " + load.rates + " req/s" : "closed model, concurrency " + concurrency);

        BlockingQueue<Iti41Request.Rendered> queue = new ArrayBlockingQueue<>(Math.max(64, concurrency * 8));
        Thread renderer = new Thread(() -> render(source, first, end, endpoint, checkpoint, queue), "renderer");
        renderer.setDaemon(true);
        renderer.start();

        ProcessCpu self = new ProcessCpu(ProcessHandle.current().pid());
        HttpClient client = LoadOptions.httpClient();
        int result;
        try (Journal journal = Journal.open(journalFile)) {
            long t0 = System.nanoTime();
            Thread progress = progress(checkpoint, t0);
            // a timed closed-model run measures after --warmup-seconds (JIT, connection pools, caches)
            long warmup = !open && durationSeconds > 0 ? TimeUnit.SECONDS.toNanos(load.warmupSeconds) : 0;
            Window window = new Window(self);
            Thread windowStart = new Thread(() -> {
                try {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(warmup));
                    window.open();
                } catch (InterruptedException ignored) {
                    // ended before the warm-up did
                }
            }, "window");
            windowStart.setDaemon(true);
            if (warmup == 0) {
                window.open();
            } else {
                windowStart.start();
            }
            if (open) {
                result = runOpen(client, endpoint, queue, checkpoint, journal);
            } else {
                result = runClosed(client, endpoint, queue, checkpoint, journal, t0 + warmup);
            }
            stop.set(true);
            progress.interrupt();
            windowStart.interrupt();
            checkpoint.save();
            window.close();
            writeSummary(first, end, checkpoint, window);
        }
        return result;
    }

    /**
     * The patient feed (ITI-41 refuses unknown patients): the BSNs of patients [first, end) into the patient
     * table, a chunk of {@link #FEED_CHUNK} ahead of the renderer (one statement per chunk).
     */
    private void feedPatients(Connection c, StudySource source, int first, int end) throws SQLException {
        List<String> bsns = new ArrayList<>();
        for (int p = first; p < end; p++) {
            bsns.add(source.bsn(p).value());
        }
        try (PreparedStatement ps = c.prepareStatement("insert into patient (bsn) select unnest(?::varchar[]) on conflict do nothing")) {
            ps.setArray(1, c.createArrayOf("varchar", bsns.toArray()));
            ps.executeUpdate();
        }
    }

    private static final int FEED_CHUNK = 1000;

    private static final Iti41Request.Rendered END = new Iti41Request.Rendered(-1, -1, null, null, null);

    private void render(StudySource source, int first, int end, String endpoint, Checkpoint checkpoint,
                        BlockingQueue<Iti41Request.Rendered> queue) {
        try (Connection feed = pgDataDir == null ? null : PostgresOfDataDir.connect(pgDataDir)) {
            for (int p = first; p < end && !stop.get(); p++) {
                if (feed != null && (p == first || (p - first) % FEED_CHUNK == 0)) {
                    feedPatients(feed, source, p, Math.min(end, p + FEED_CHUNK));
                }
                StudySource.Patient patient = source.patient(p);
                List<SyntheticStudies.Study> list = patient.studies();
                checkpoint.expect(p, list.size());
                for (int i = 0; i < list.size(); i++) {
                    Iti41Request.Rendered r = Iti41Request.render(p, i, list.get(i), endpoint);
                    while (!queue.offer(r, 100, TimeUnit.MILLISECONDS)) {
                        if (stop.get()) {
                            return;
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | SQLException e) {
            System.err.println("rendering failed: " + e);
            e.printStackTrace();
        } finally {
            while (!stop.get()) {
                try {
                    if (queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
    }

    private HttpRequest http(String endpoint, Iti41Request.Rendered r) {
        return HttpRequest.newBuilder(URI.create(endpoint)).timeout(load.timeout())
                .header("Content-Type", r.contentType())
                .header("SOAPAction", Iti41Request.ACTION)
                .POST(HttpRequest.BodyPublishers.ofByteArray(r.body())).build();
    }

    /** Judges one answer; acknowledges the study (journal, checkpoint) on Success. */
    private String judge(Iti41Request.Rendered r, HttpResponse<String> response, Checkpoint checkpoint, Journal journal) {
        if (response.statusCode() == 200 && Iti41Request.isSuccess(response.body())) {
            journal.acknowledged(r);
            acknowledged.incrementAndGet();
            documents.addAndGet("-".equals(r.ids().report()) ? 1 : 2);
            if (checkpoint.acknowledge(r.patient())) {
                checkpoint.save();
            }
            return null;
        }
        journal.failed(r);
        String kind = response.statusCode() == 200 ? "not Success" : "HTTP " + response.statusCode();
        if (errors.isEmpty()) {
            String body = response.body();
            System.err.println("first error (" + kind + "): " + (body.length() > 2000 ? body.substring(0, 2000) : body));
        }
        return kind;
    }

    private int runClosed(HttpClient client, String endpoint, BlockingQueue<Iti41Request.Rendered> queue,
                          Checkpoint checkpoint, Journal journal, long measureFrom) throws InterruptedException {
        long deadline = durationSeconds <= 0 ? Long.MAX_VALUE : measureFrom + TimeUnit.SECONDS.toNanos(durationSeconds);
        AtomicBoolean transportFailure = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread t = new Thread(() -> {
                while (!stop.get() && System.nanoTime() < deadline) {
                    Iti41Request.Rendered r;
                    try {
                        r = queue.poll(100, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (r == null) {
                        continue;
                    }
                    if (r == END) {
                        queue.offer(END);
                        return;
                    }
                    journal.sent(r);
                    sent.incrementAndGet();
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(http(endpoint, r), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                        String error = judge(r, response, checkpoint, journal);
                        if (error == null) {
                            latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
                        } else {
                            error(error);
                        }
                    } catch (Exception e) {
                        journal.failed(r);
                        error(OpenLoop.TRANSPORT);
                        if (!keepGoing && transportFailure.compareAndSet(false, true)) {
                            System.err.println("transport failure (" + e.getClass().getSimpleName() + "): stopping");
                            stop.set(true);
                        }
                    }
                }
            }, "sender-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        return transportFailure.get() ? 3 : errors.isEmpty() ? 0 : 1;
    }

    private int runOpen(HttpClient client, String endpoint, BlockingQueue<Iti41Request.Rendered> queue,
                        Checkpoint checkpoint, Journal journal) throws Exception {
        OpenLoop.Workload workload = random -> {
            Iti41Request.Rendered r;
            try {
                r = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (r == END) {
                queue.offer(END);
                throw new IllegalStateException("the patient range is exhausted: give a larger --count");
            }
            journal.sent(r);
            sent.incrementAndGet();
            return new OpenLoop.Request(http(endpoint, r), response -> {
                String error = judge(r, response, checkpoint, journal);
                return error == null ? OpenLoop.Outcome.ok(1) : OpenLoop.Outcome.error(error);
            });
        };
        List<LoadOptions.Series> series = List.of(new LoadOptions.Series("ITI-41", workload, load.rates));
        List<List<OpenLoop.Result>> results = load.run(client, series, "registrations");
        if (results == null) {
            return 1;
        }
        load.writeTables(series, results, "registrations", s -> null);
        for (OpenLoop.Result r : results.get(0)) {
            latency.add(r.latency());
            r.errors().forEach((kind, n) -> errors.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(n));
        }
        return errors.isEmpty() ? 0 : 1;
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    private Thread progress(Checkpoint checkpoint, long t0) {
        Thread t = new Thread(() -> {
            long lastAck = 0;
            long last = t0;
            while (!stop.get()) {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    return;
                }
                long now = System.nanoTime();
                long ack = acknowledged.get();
                System.out.printf(Locale.ROOT, "%6.0f s: sent %,d, acknowledged %,d (%.0f/s now, %.0f/s overall), errors %d, checkpoint patient %d%n",
                        (now - t0) / 1e9, sent.get(), ack, (ack - lastAck) / ((now - last) / 1e9), ack / ((now - t0) / 1e9),
                        errorCount(), checkpoint.next());
                lastAck = ack;
                last = now;
            }
        }, "progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private long errorCount() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** The measured window: from the end of the warm-up to the end of the run (registrations, documents, sender CPU). */
    private final class Window {
        private final ProcessCpu self;
        private volatile boolean opened;
        private long t0, ack0, docs0;
        private double cpu0;
        long ok, docs;
        double seconds, cpuMs = Double.NaN;

        Window(ProcessCpu self) {
            this.self = self;
        }

        synchronized void open() {
            t0 = System.nanoTime();
            ack0 = acknowledged.get();
            docs0 = documents.get();
            cpu0 = self.seconds();
            latency.reset();
            opened = true;
        }

        synchronized void close() {
            if (!opened) {
                return; // ended during the warm-up: nothing measured
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            ok = acknowledged.get() - ack0;
            docs = documents.get() - docs0;
            cpuMs = (self.seconds() - cpu0) * 1000;
        }
    }

    private void writeSummary(int first, int end, Checkpoint checkpoint, Window w) throws Exception {
        long ok = w.ok;
        double seconds = w.seconds;
        double cpuMs = w.cpuMs;
        Histogram h = latency;
        Map<String, String> s = new LinkedHashMap<>();
        s.put("mode", open ? "open " + load.rates.stream().map(String::valueOf).collect(Collectors.joining(",")) : "closed " + concurrency);
        s.put("first_patient", Integer.toString(first));
        s.put("end_patient", Integer.toString(end));
        s.put("next_patient", Integer.toString(checkpoint.next()));
        s.put("sent", Long.toString(sent.get()));
        s.put("acknowledged", Long.toString(acknowledged.get()));
        s.put("warmup_seconds", Integer.toString(!open && durationSeconds > 0 ? load.warmupSeconds : 0));
        s.put("registrations", Long.toString(ok));
        s.put("documents", Long.toString(w.docs));
        s.put("seconds", fmt(seconds));
        s.put("registrations_per_second", fmt(seconds > 0 ? ok / seconds : Double.NaN));
        s.put("documents_per_second", fmt(seconds > 0 ? w.docs / seconds : Double.NaN));
        s.put("latency_p50_ms", fmt(h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1000.0));
        s.put("latency_p99_ms", fmt(h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1000.0));
        s.put("errors", Long.toString(errorCount()));
        s.put("error_kinds", errors.entrySet().stream().map(e -> e.getKey().replace(' ', '_') + ":" + e.getValue()).collect(Collectors.joining(",")));
        s.put("sender_cpu_ms_per_registration", fmt(ok > 0 ? cpuMs / ok : Double.NaN));
        StringBuilder text = new StringBuilder();
        s.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        System.out.print(text);
        if (summaryFile != null) {
            Files.writeString(summaryFile, text.toString(), StandardCharsets.UTF_8);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    @SuppressWarnings("unused")
    private static String line(OpenLoop.Result r) {
        return Report.line(r, "registrations");
    }
}
