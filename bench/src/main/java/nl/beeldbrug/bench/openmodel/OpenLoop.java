package nl.beeldbrug.bench.openmodel;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One fixed-rate phase of an open-model HTTP load: request i is due at {@code start + i / rate}, is
 * sent then (or as soon as an in-flight slot frees up), and its latency is measured from when it was
 * due, not from when it was sent, so a slow server cannot hide its queueing (no coordinated
 * omission). The phase is bounded in count ({@code rate × seconds}) and in time (sending stops at
 * {@code seconds + grace}; what was not sent by then counts as an error).
 *
 * <p>What is sent and what counts as a success is the {@link Workload}'s business: it builds each
 * request (on the sending thread, so it must be cheap) together with the {@link Check} of its answer.
 */
public final class OpenLoop {

    /** Builds the next request and how to judge its answer; called on the sending thread, in order. */
    @FunctionalInterface
    public interface Workload {
        Request next(SplittableRandom random);
    }

    /** A request and the check of its answer. */
    public record Request(HttpRequest http, Check check) {
    }

    /** Judges one answer (any status code). */
    @FunctionalInterface
    public interface Check {
        Outcome judge(HttpResponse<String> response);
    }

    /** A success with {@code items} results (entries, studies, ...), or an error of a named kind. */
    public record Outcome(String error, int items) {
        public static Outcome ok(int items) {
            return new Outcome(null, items);
        }

        public static Outcome error(String kind) {
            return new Outcome(kind, 0);
        }
    }

    /** Error kinds the loop itself assigns. */
    public static final String TRANSPORT = "transport";
    public static final String NOT_SENT = "not sent";

    /**
     * What one phase measured. Latencies in microseconds; only successful requests are in the
     * histogram. {@code errors} by kind, sorted by name (transport and not-sent included).
     */
    public record Result(int rate, Duration planned, long scheduled, long ok, Map<String, Long> errors,
                         double elapsedSeconds, Histogram latency, double meanItems, double meanResponseBytes,
                         long maxInFlight) {

        public long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        public long errors(String kind) {
            return errors.getOrDefault(kind, 0L);
        }

        public double throughput() {
            return ok / elapsedSeconds;
        }
    }

    private final HttpClient client;
    private final SplittableRandom random;
    private final int maxInFlight;
    private final Duration timeout;

    /**
     * @param seed        of the random source handed to the workload (one sequence across all phases)
     * @param maxInFlight open requests at most; a due request waits for a slot with its clock running
     * @param timeout     per request; {@link HttpRequest}s should carry it too
     */
    public OpenLoop(HttpClient client, long seed, int maxInFlight, Duration timeout) {
        this.client = client;
        this.random = new SplittableRandom(seed);
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
    }

    /** Counters of one phase, updated from the HTTP client's callback threads. */
    private static final class Phase {
        final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        final AtomicLong ok = new AtomicLong();
        final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        final AtomicLong items = new AtomicLong();
        final AtomicLong chars = new AtomicLong();
        final AtomicLong lastDone = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong maxInFlight = new AtomicLong();

        void error(String kind, long n) {
            errors.computeIfAbsent(kind, k -> new LongAdder()).add(n);
        }

        /** Classifies one outcome; latency counts from {@code due}, the request's intended start. */
        void complete(HttpResponse<String> response, Throwable failure, long due, Check check) {
            long done = System.nanoTime();
            if (failure != null) {
                error(TRANSPORT, 1);
            } else {
                Outcome outcome;
                try {
                    outcome = check.judge(response);
                } catch (RuntimeException e) {
                    outcome = Outcome.error("unreadable answer");
                }
                if (outcome.error() != null) {
                    error(outcome.error(), 1);
                } else {
                    ok.incrementAndGet();
                    items.addAndGet(outcome.items());
                    chars.addAndGet(response.body().length());
                    latency.recordValue(Math.max(1, (done - due) / 1000));
                }
            }
            lastDone.accumulateAndGet(done, Math::max);
        }
    }

    public Result run(int rate, Duration duration, Duration grace, Workload workload) throws InterruptedException {
        long count = rate * duration.toSeconds();
        double periodNanos = 1e9 / rate;
        Phase phase = new Phase();
        Semaphore slots = new Semaphore(maxInFlight);

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long stopSending = start + duration.plus(grace).toNanos();
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * periodNanos);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long left = stopSending - System.nanoTime();
            if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                phase.error(NOT_SENT, count - i);
                break;
            }
            phase.maxInFlight.accumulateAndGet(phase.inFlight.incrementAndGet(), Math::max);
            Request request = workload.next(random);
            // orTimeout: a request whose answer never completes still ends (as a transport error)
            client.sendAsync(request.http(), HttpResponse.BodyHandlers.ofString())
                    .orTimeout(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                    .whenComplete((response, failure) -> {
                        try {
                            phase.complete(response, failure, due, request.check());
                        } finally {
                            phase.inFlight.decrementAndGet();
                            slots.release();
                        }
                    });
        }
        // drain: every request sent ends within its timeout (orTimeout above)
        if (!slots.tryAcquire(maxInFlight, timeout.toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
            phase.error(TRANSPORT, phase.inFlight.get());
            System.err.println(phase.inFlight.get() + " request(s) still in flight after their timeout; counted as transport errors");
        }
        long end = Math.max(phase.lastDone.get(), start + 1);
        long ok = phase.ok.get();
        Map<String, Long> errors = new TreeMap<>();
        phase.errors.forEach((kind, n) -> errors.put(kind, n.sum()));
        return new Result(rate, duration, count, ok, errors, (end - start) / 1e9, phase.latency,
                ok == 0 ? 0 : (double) phase.items.get() / ok, ok == 0 ? 0 : (double) phase.chars.get() / ok,
                phase.maxInFlight.get());
    }
}
