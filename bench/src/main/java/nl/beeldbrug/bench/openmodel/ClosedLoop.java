package nl.beeldbrug.bench.openmodel;

import org.HdrHistogram.Histogram;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A closed-model phase: {@code connections} workers each send a request, wait for its answer and send the next, for a
 * fixed time. It answers "how many requests per second at this concurrency", the figure published for HAPI FHIR JPA
 * (e.g. 896 req/s at 8 connections), so both servers can be compared at the same concurrency. Latency here is the
 * service time seen by a waiting client (a closed model cannot show queueing delay; the open-model phases do).
 */
public final class ClosedLoop {

    private final HttpClient client;
    private final long seed;
    private final Duration timeout;

    public ClosedLoop(HttpClient client, long seed, Duration timeout) {
        this.client = client;
        this.seed = seed;
        this.timeout = timeout;
    }

    /** One worker's counters (no sharing while running; merged at the end). */
    private static final class Worker implements Runnable {
        final Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final Map<String, Long> errors = new TreeMap<>();
        final SplittableRandom random;
        final OpenLoop.Workload workload;
        final HttpClient client;
        final long end;
        long ok;
        long items;
        long chars;

        Worker(HttpClient client, SplittableRandom random, OpenLoop.Workload workload, long end) {
            this.client = client;
            this.random = random;
            this.workload = workload;
            this.end = end;
        }

        @Override
        public void run() {
            while (System.nanoTime() < end) {
                OpenLoop.Request request = workload.next(random);
                long start = System.nanoTime();
                OpenLoop.Outcome outcome;
                HttpResponse<String> response = null;
                try {
                    response = client.send(request.http(), HttpResponse.BodyHandlers.ofString());
                    outcome = request.check().judge(response);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    outcome = OpenLoop.Outcome.error("unreadable answer");
                } catch (Exception e) {
                    outcome = OpenLoop.Outcome.error(OpenLoop.TRANSPORT);
                }
                long done = System.nanoTime();
                if (outcome.error() != null) {
                    errors.merge(outcome.error(), 1L, Long::sum);
                } else {
                    ok++;
                    items += outcome.items();
                    chars += response.body().length();
                    latency.recordValue(Math.max(1, (done - start) / 1000));
                }
            }
        }
    }

    /**
     * Runs {@code connections} workers for {@code duration}; the result's {@code rate} is 0 and
     * {@code maxInFlight} is the number of connections.
     */
    public OpenLoop.Result run(int connections, Duration duration, OpenLoop.Workload workload) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        SplittableRandom root = new SplittableRandom(seed);
        List<Worker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Worker w = new Worker(client, root.split(), workload, end);
            workers.add(w);
            Thread t = new Thread(w, "closed-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(duration.plus(timeout).plusSeconds(10).toMillis());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        Map<String, Long> errors = new TreeMap<>();
        long ok = 0;
        long items = 0;
        long chars = 0;
        for (Worker w : workers) {
            latency.add(w.latency);
            w.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
            ok += w.ok;
            items += w.items;
            chars += w.chars;
        }
        long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
        return new OpenLoop.Result(0, duration, ok + errorCount, ok, errors, elapsed, latency,
                ok == 0 ? 0 : (double) items / ok, ok == 0 ? 0 : (double) chars / ok, connections);
    }
}
