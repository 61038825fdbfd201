package nl.beeldbrug.bench.iti18;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One fixed-rate phase of an open-model load: request i is due at {@code start + i / rate}, is sent
 * then (or as soon as an in-flight slot frees up), and its latency is measured from when it was
 * due, not from when it was sent, so a slow server cannot hide its queueing (no coordinated
 * omission). The phase is bounded in count ({@code rate × seconds}) and in time (sending stops at
 * {@code seconds + grace}; what was not sent by then counts as an error).
 */
final class OpenLoop {

    /** What one phase measured. Latencies in microseconds; only successful requests are in the histogram. */
    record Result(int rate, Duration planned, long scheduled, long ok, long httpErrors, long notSuccess, long emptyResults,
                  long transportErrors, long notSent, double elapsedSeconds, Histogram latency, double meanEntries,
                  double meanResponseBytes, long maxInFlight) {

        long errors() {
            return httpErrors + notSuccess + emptyResults + transportErrors + notSent;
        }

        double throughput() {
            return ok / elapsedSeconds;
        }
    }

    private final HttpClient client;
    private final URI endpoint;
    private final FindDocumentsRequests requests;
    private final List<String> patients;
    private final SplittableRandom random;
    private final int maxInFlight;
    private final Duration timeout;

    OpenLoop(HttpClient client, URI endpoint, List<String> patients, long seed, int maxInFlight, Duration timeout) {
        this.client = client;
        this.endpoint = endpoint;
        this.requests = new FindDocumentsRequests();
        this.patients = patients;
        this.random = new SplittableRandom(seed);
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
    }

    /** Counters of one phase, updated from the HTTP client's callback threads. */
    private static final class Phase {
        final ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(5), 3);
        final AtomicLong ok = new AtomicLong();
        final AtomicLong http = new AtomicLong();
        final AtomicLong notSuccess = new AtomicLong();
        final AtomicLong empty = new AtomicLong();
        final AtomicLong transport = new AtomicLong();
        final AtomicLong entries = new AtomicLong();
        final AtomicLong chars = new AtomicLong();
        final AtomicLong lastDone = new AtomicLong();
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong maxInFlight = new AtomicLong();

        /** Classifies one outcome; latency counts from {@code due}, the request's intended start. */
        void complete(HttpResponse<String> response, Throwable failure, long due) {
            long done = System.nanoTime();
            if (failure != null) {
                transport.incrementAndGet();
            } else if (response.statusCode() != 200) {
                http.incrementAndGet();
            } else {
                int n = FindDocumentsRequests.entries(response.body());
                if (n < 0) {
                    notSuccess.incrementAndGet();
                } else if (n == 0) {
                    empty.incrementAndGet();
                } else {
                    ok.incrementAndGet();
                    entries.addAndGet(n);
                    chars.addAndGet(response.body().length());
                    latency.recordValue(Math.max(1, (done - due) / 1000));
                }
            }
            lastDone.accumulateAndGet(done, Math::max);
        }
    }

    Result run(int rate, Duration duration, Duration grace) throws InterruptedException {
        long count = rate * duration.toSeconds();
        double periodNanos = 1e9 / rate;
        Phase phase = new Phase();
        Semaphore slots = new Semaphore(maxInFlight);

        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long stopSending = start + duration.plus(grace).toNanos();
        long notSent = 0;
        for (long i = 0; i < count; i++) {
            long due = start + (long) (i * periodNanos);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long left = stopSending - System.nanoTime();
            if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                notSent = count - i;
                break;
            }
            phase.maxInFlight.accumulateAndGet(phase.inFlight.incrementAndGet(), Math::max);
            String bsn = patients.get(random.nextInt(patients.size()));
            HttpRequest request = HttpRequest.newBuilder(endpoint)
                    .timeout(timeout)
                    .header("Content-Type", FindDocumentsRequests.CONTENT_TYPE)
                    .POST(HttpRequest.BodyPublishers.ofString(requests.body(bsn, new UUID(random.nextLong(), random.nextLong()))))
                    .build();
            // orTimeout: a request whose answer never completes still ends (as a transport error)
            client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .orTimeout(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                    .whenComplete((response, failure) -> {
                        try {
                            phase.complete(response, failure, due);
                        } finally {
                            phase.inFlight.decrementAndGet();
                            slots.release();
                        }
                    });
        }
        // drain: every request sent ends within its timeout (orTimeout above)
        if (!slots.tryAcquire(maxInFlight, timeout.toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
            phase.transport.addAndGet(phase.inFlight.get());
            System.err.println(phase.inFlight.get() + " request(s) still in flight after their timeout; counted as transport errors");
        }
        long end = Math.max(phase.lastDone.get(), start + 1);
        long ok = phase.ok.get();
        return new Result(rate, duration, count, ok, phase.http.get(), phase.notSuccess.get(), phase.empty.get(),
                phase.transport.get(), notSent, (end - start) / 1e9, phase.latency,
                ok == 0 ? 0 : (double) phase.entries.get() / ok, ok == 0 ? 0 : (double) phase.chars.get() / ok,
                phase.maxInFlight.get());
    }
}
