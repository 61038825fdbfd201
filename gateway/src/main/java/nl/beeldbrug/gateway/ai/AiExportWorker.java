package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.ai.CohortMember;
import nl.beeldbrug.registry.ai.delivery.ExportStore;
import nl.beeldbrug.registry.ai.delivery.ReleaseRecords;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Works off bulk exports one at a time, like the import worker: claims one ({@link ExportStore#claim}), renews its
 * lease while it works, and writes the studies still pending in cohort order — so that an export whose worker died
 * (process killed, restarted) is taken over when the lease runs out and resumes at its first unfinished study. Before
 * each study, and again after writing it, the patient's AI consent is checked for the platform: a denied patient is
 * withdrawn from the export (his studies skipped, his written files deleted). Each study written leaves one audit
 * record and, the first time the study reaches the platform, a Provenance.
 */
public final class AiExportWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AiExportWorker.class);

    /** Called before each study is considered (tests pause an export here). */
    @FunctionalInterface
    public interface Hook {
        void beforeStudy(UUID exportId, int position) throws InterruptedException;
    }

    private final AiExports exports;
    private final AiPlatforms platforms;
    private final AiReleases releases;
    private final Requesters requesters;
    private final StudyZip zip;
    private final ReleaseRecords provenance;
    private final AiAudit audit;
    private final AiDeliveryProperties.Exports config;
    private final Hook hook;
    private final Clock clock;
    private final String worker = "export-" + UUID.randomUUID().toString().substring(0, 8);
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "beeldbrug-ai-export");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running;

    AiExportWorker(AiExports exports, AiPlatforms platforms, AiReleases releases, Requesters requesters, StudyZip zip,
                   ReleaseRecords provenance, AiAudit audit, AiDeliveryProperties.Exports config, Hook hook, Clock clock) {
        this.exports = exports;
        this.platforms = platforms;
        this.releases = releases;
        this.requesters = requesters;
        this.zip = zip;
        this.provenance = provenance;
        this.audit = audit;
        this.config = config;
        this.hook = hook;
        this.clock = clock;
    }

    public void start() {
        running = true;
        scheduler.scheduleWithFixedDelay(this::drain, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This worker's name (as in the store). */
    public String name() {
        return worker;
    }

    void drain() {
        try {
            while (running) {
                Optional<ExportStore.Export> export = exports.store().claim(worker, config.lease());
                if (export.isEmpty()) {
                    return;
                }
                work(export.get());
            }
        } catch (RuntimeException e) {
            LOG.warn("AI export worker: {}", e.toString());
        }
    }

    private void work(ExportStore.Export export) {
        long renewEvery = Math.max(100, config.lease().toMillis() / 3);
        ScheduledFuture<?> heartbeat = scheduler.scheduleAtFixedRate(() -> {
            try {
                exports.store().renew(export.id(), worker, config.lease());
            } catch (RuntimeException e) {
                LOG.warn("AI export {}: lease not renewed: {}", export.id(), e.toString());
            }
        }, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        try {
            Optional<AiPlatform> platform = platforms.byUra(export.platform());
            if (platform.isEmpty()) {
                exports.store().fail(export.id(), worker, "the platform is no longer configured");
                return;
            }
            Path dir = Files.createDirectories(exports.dir(export.id()));
            removeParts(dir);
            for (ExportStore.Study study : exports.store().studies(export.id())) {
                if (!running) {
                    return; // stopped: the lease runs out and a worker resumes here
                }
                if (!"pending".equals(study.state())) {
                    continue;
                }
                hook.beforeStudy(export.id(), study.position());
                if (!running) {
                    return;
                }
                if (!one(export, platform.get(), study, dir)) {
                    return; // no longer this worker's
                }
            }
            if (exports.store().done(export.id(), worker)) {
                LOG.info("AI export {} done", export.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (!running) {
                return; // stopped mid-study: resumed by the next claim
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName();
            LOG.warn("AI export {} failed: {}", export.id(), reason);
            exports.store().fail(export.id(), worker, reason);
        } finally {
            heartbeat.cancel(false);
        }
    }

    /** Exports one study; false when the export is no longer this worker's. */
    private boolean one(ExportStore.Export export, AiPlatform platform, ExportStore.Study study, Path dir) throws IOException {
        RequestContext context = requesters.of(platform.ura(), PurposeOfUse.AI, "bulk-export " + export.id());
        ReleaseLog log = new ReleaseLog();
        String failure = null;
        boolean released = false;
        try {
            if (!releases.permits(context, study.bsn(), study.studyUid(), study.holderUra(), log)) {
                exports.withdraw(export.id(), study.bsn());
                failure = "consent denied";
                return true;
            }
            CohortMember member = new CohortMember(export.cohortId(), study.studyUid(), study.pseudoStudyUid(), study.bsn(),
                    platform.pseudonyms().patientPseudonym(study.bsn()),
                    study.holderUra() == null ? null : Ura.of(study.holderUra()));
            Optional<AiReleases.Release> release = releases.located(platform, member);
            if (release.isEmpty()) {
                throw new IOException("no connected archive holds a study of the cohort");
            }
            StudyZip.Written written = zip.write(release.get(), exports.file(export.id(), study.pseudoStudyUid()), worker);
            // consent may have changed while the study was written: decide again before it counts
            if (!releases.permits(context, study.bsn(), study.studyUid(), study.holderUra(), log)) {
                exports.delete(export.id(), study.pseudoStudyUid());
                exports.withdraw(export.id(), study.bsn());
                failure = "consent denied";
                return true;
            }
            if (!exports.store().written(export.id(), worker, study.position(), study.pseudoStudyUid() + ".zip",
                    written.size(), written.sha256(), written.files().toString())) {
                boolean withdrawn = exports.store().studies(export.id()).stream()
                        .anyMatch(s -> s.position() == study.position() && s.withdrawn());
                if (withdrawn) {
                    exports.delete(export.id(), study.pseudoStudyUid());
                    failure = "consent denied";
                    return true;
                }
                failure = "taken over";
                return false;
            }
            released = true;
            provenance.first(platform.ura(), study.pseudoStudyUid(), "export", clock.instant());
            return true;
        } catch (IOException | RuntimeException e) {
            failure = "HTTP 500 " + e.getClass().getSimpleName();
            throw e;
        } finally {
            audit.record(AiAudit.EXPORT_STUDY, released ? null : failure, "beeldbrug", platform.ura().value(),
                    released ? List.of(study.bsn()) : List.of(), List.of(study.studyUid()), context, log);
        }
    }

    private static void removeParts(Path dir) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "*.{part,tmp}")) {
            for (Path p : parts) {
                Files.deleteIfExists(p); // a dead worker's unfinished study
            }
        }
    }

    /** Stops working (as a killed process would: the export stays claimed until its lease runs out). */
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
