package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.bridge.imports.ImportJob;
import nl.beeldbrug.registry.bridge.imports.ImportJobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Works off due import jobs one at a time: claims one ({@link ImportJobStore#claim}), renews its lease while the
 * attempt runs, and ends the attempt as done, as a retry after an exponential back-off, or — a permanent failure,
 * or the last attempt — as failed with its reason. Several processes may each run a worker.
 */
public final class ImportWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImportWorker.class);

    private final ImportJobStore store;
    private final ImportRunner runner;
    private final ServeProperties.Imports config;
    private final RetrieveAudit audit;
    private final String worker = "worker-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "beeldbrug-import");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;

    ImportWorker(ImportJobStore store, ImportRunner runner, ServeProperties.Imports config, RetrieveAudit audit) {
        this.store = store;
        this.runner = runner;
        this.config = config;
        this.audit = audit;
    }

    public void start() {
        running = true;
        scheduler.scheduleWithFixedDelay(this::drain, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs due jobs until none is left. */
    void drain() {
        try {
            while (running) {
                Optional<ImportJob> job = store.claim(worker, config.lease());
                if (job.isEmpty()) {
                    return;
                }
                work(job.get());
            }
        } catch (RuntimeException e) {
            LOG.warn("import worker: {}", e.toString());
        }
    }

    private void work(ImportJob job) {
        long renewEvery = Math.max(100, config.lease().toMillis() / 3);
        ScheduledFuture<?> heartbeat = scheduler.scheduleAtFixedRate(() -> {
            try {
                store.renew(job.id(), worker, config.lease());
            } catch (RuntimeException e) {
                LOG.warn("import job {}: lease not renewed: {}", job.id(), e.toString());
            }
        }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        try {
            runner.run(job, (total, done, skipped) -> store.progress(job.id(), worker, total, done, skipped));
            if (store.done(job.id(), worker)) {
                LOG.info("import job {} done (attempt {})", job.id(), job.attempts());
                auditEnd(job, true, null);
            }
        } catch (ImportRunner.PermanentFailure e) {
            end(job, e.getMessage());
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (job.attempts() >= config.maxAttempts()) {
                end(job, "after " + job.attempts() + " attempts: " + reason);
            } else {
                Duration wait = backoff(job.attempts());
                store.retryLater(job.id(), worker, reason, wait);
                LOG.info("import job {} attempt {} failed, next in {}: {}", job.id(), job.attempts(), wait, reason);
            }
        } finally {
            heartbeat.cancel(false);
        }
    }

    private void end(ImportJob job, String reason) {
        if (store.fail(job.id(), worker, reason)) {
            LOG.info("import job {} failed: {}", job.id(), reason);
            auditEnd(job, false, reason);
        }
    }

    private void auditEnd(ImportJob job, boolean success, String reason) {
        try {
            audit.record(RetrieveAudit.IMPORT, success, reason, "beeldbrug", job.target(), null,
                    List.of(job.studyInstanceUid()), null, null);
        } catch (RuntimeException e) {
            LOG.warn("import job {}: audit record not written: {}", job.id(), e.toString());
        }
    }

    /** The wait after the n-th failed attempt: first, doubled each time, at most max. */
    Duration backoff(int attempts) {
        long ms = config.firstBackoff().toMillis() << Math.min(20, Math.max(0, attempts - 1));
        return Duration.ofMillis(Math.min(ms, config.maxBackoff().toMillis()));
    }

    @Override
    public void close() {
        running = false;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
