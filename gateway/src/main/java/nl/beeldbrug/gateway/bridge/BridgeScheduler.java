package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.bridge.BridgeSource;
import nl.beeldbrug.registry.bridge.StudyPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the bridge's rounds: per source every {@code detection.interval}, a poll (QIDO or C-FIND sources) and then
 * the publication of its stable studies (all sources, pushed ones included). Never on a request thread; a failing
 * round is logged and retried at the next.
 */
final class BridgeScheduler implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeScheduler.class);

    /** One source's schedule. */
    record Round(BridgeSource source, ArchiveConnector archive, Duration interval) {
    }

    private final List<Round> rounds;
    private final ArchivePoller poller;
    private final StudyPublisher publisher;
    private final int batch;
    private ScheduledExecutorService executor;

    BridgeScheduler(List<Round> rounds, ArchivePoller poller, StudyPublisher publisher, int batch) {
        this.rounds = rounds;
        this.poller = poller;
        this.publisher = publisher;
        this.batch = batch;
    }

    /** One round for one source (also called directly by benchmarks and tests). */
    void round(Round round) {
        try {
            if (round.archive() != null) {
                poller.poll(round.source().id(), round.archive());
            }
            while (publisher.publishDue(round.source(), batch).size() == batch) {
                // more were due than one batch: go on
            }
        } catch (Exception e) {
            LOG.warn("bridge {}: round failed, retried in {}: {}", round.source().id(), round.interval(), e.toString());
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newScheduledThreadPool(Math.max(1, Math.min(4, rounds.size())), r -> {
            Thread t = new Thread(r, "bridge");
            t.setDaemon(true);
            return t;
        });
        for (Round round : rounds) {
            long ms = Math.max(100, round.interval().toMillis());
            executor.scheduleWithFixedDelay(() -> round(round), 0, ms, TimeUnit.MILLISECONDS);
        }
        LOG.info("bridge: {} source(s) scheduled", rounds.size());
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    Map<String, Round> bySource() {
        Map<String, Round> m = new java.util.LinkedHashMap<>();
        rounds.forEach(r -> m.put(r.source().id(), r));
        return m;
    }
}
