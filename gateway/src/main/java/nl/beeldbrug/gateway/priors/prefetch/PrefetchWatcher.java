package nl.beeldbrug.gateway.priors.prefetch;

import nl.beeldbrug.registry.bridge.imports.PrefetchOrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Looks for prefetch import jobs that ended, every {@code interval}, and counts each once ({@link PrefetchMetrics}). */
public final class PrefetchWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrefetchWatcher.class);

    private final PrefetchOrderStore orders;
    private final PrefetchMetrics metrics;
    private final Duration interval;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "beeldbrug-prefetch-watch");
        t.setDaemon(true);
        return t;
    });

    public PrefetchWatcher(PrefetchOrderStore orders, PrefetchMetrics metrics, Duration interval) {
        this.orders = orders;
        this.metrics = metrics;
        this.interval = interval;
    }

    public void start() {
        scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void poll() {
        try {
            orders.ended().forEach(metrics::ended);
        } catch (RuntimeException e) {
            LOG.warn("prefetch watch: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
