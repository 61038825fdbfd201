package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.IdentityResolution.Found;
import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.bridge.IdentityResolution.Unresolved;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.DocumentRegistryService.RegistrationResult;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Imaging Document Source on an archive's behalf (XDS-I.b RAD-68 through the repository's ITI-41 path): for each
 * study that changed and has been stable for the source's {@code stableAfter}, finds the BSN, then registers
 * (or replaces, RPLC) its KOS manifest and registers its reports; a study whose instances are all rejected by
 * IOCM rejection notes has its manifest and reports deprecated. A study without a valid BSN goes to the review
 * list. Each outcome is one transaction together with the bridge's own state.
 */
public final class StudyPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(StudyPublisher.class);

    /** What became of one study. */
    public enum Outcome { PUBLISHED, REPLACED, DEPRECATED, REVIEW, FAILED, RETRY_LATER, NOTHING_TO_PUBLISH }

    private final DataSource dataSource;
    private final BridgeStore store;
    private final PatientIdentityResolver identities;
    private final ManifestEncoder manifests;
    private final ReportContents reports;
    private final DocumentRepositoryService repository;
    private final PatientIndex patients;
    private final XdsStore xds;
    private final XdsiSubmissionMapper mapper;
    private final Clock clock;

    public StudyPublisher(DataSource dataSource, BridgeStore store, PatientIdentityResolver identities,
                          ManifestEncoder manifests, ReportContents reports, DocumentRepositoryService repository,
                          PatientIndex patients, XdsStore xds, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.identities = identities;
        this.manifests = manifests;
        this.reports = reports;
        this.repository = repository;
        this.patients = patients;
        this.xds = xds;
        this.mapper = new XdsiSubmissionMapper(clock);
        this.clock = clock;
    }

    /** Publishes every study of the source that is due; returns the outcomes in order. */
    public List<Outcome> publishDue(BridgeSource source, int limit) {
        Instant now = clock.instant();
        List<BridgeStore.Publication> due = Database.read(dataSource,
                c -> store.due(c, source.id(), now.minus(source.stableAfter()), limit));
        List<Outcome> outcomes = new ArrayList<>();
        for (BridgeStore.Publication publication : due) {
            outcomes.add(publish(source, publication));
        }
        return outcomes;
    }

    Outcome publish(BridgeSource source, BridgeStore.Publication publication) {
        Optional<ArchiveStudy> loaded = Database.read(dataSource, c -> store.load(c, source.id(), publication.studyUid()));
        if (loaded.isEmpty()) {
            return Outcome.NOTHING_TO_PUBLISH;
        }
        ArchiveStudy study = loaded.get();
        IdentityResolution identity = identities.resolve(source.id(), study.patient());
        if (identity instanceof Unresolved unresolved) {
            if (unresolved.reason() == Reason.UNAVAILABLE) {
                LOG.warn("bridge {}: patient index unavailable, study stays pending", source.id());
                return Outcome.RETRY_LATER;
            }
            hold(source, publication, unresolved.reason().name(), unresolved.detail());
            return Outcome.REVIEW;
        }
        Bsn bsn = ((Found) identity).bsn();
        try {
            Outcome outcome = study.manifestInstances().isEmpty()
                    ? deprecate(source, publication)
                    : register(source, publication, study, bsn);
            registerReports(source, study, bsn);
            LOG.info("bridge {}: study {} ({} instances, {} rejected)", source.id(), outcome,
                    study.manifestInstances().size(), study.rejections().size());
            return outcome;
        } catch (XdsException e) {
            LOG.warn("bridge {}: registration refused ({}): {}", source.id(), e.code(), e.getMessage());
            hold(source, publication, "REGISTRATION_FAILED", e.code() + ": " + e.getMessage());
            return Outcome.FAILED;
        } catch (IOException e) {
            LOG.warn("bridge {}: archive not reachable for a report, retried at the next round: {}", source.id(), e.getMessage());
            return Outcome.RETRY_LATER;
        }
    }

    private Outcome register(BridgeSource source, BridgeStore.Publication publication, ArchiveStudy study, Bsn bsn) {
        ManifestEncoder.EncodedManifest kos = manifests.encode(source, study);
        String replaces = "deprecated".equals(publication.state()) ? null : publication.manifestEntryUuid();
        ProvideAndRegisterDocumentSet request = mapper.manifest(source, study, bsn, kos.sopInstanceUid(), kos.bytes(), replaces);
        Instant now = clock.instant();
        Database.inTransaction(dataSource, c -> {
            patients.add(c, bsn);
            RegistrationResult result = repository.provideAndRegister(c, request);
            store.attempted(c, source.id(), study.studyInstanceUid(), publication.fingerprint(), "published",
                    result.documentEntryUuids().get(0), kos.sopInstanceUid(), now);
            return result;
        });
        return replaces == null ? Outcome.PUBLISHED : Outcome.REPLACED;
    }

    private Outcome deprecate(BridgeSource source, BridgeStore.Publication publication) {
        Instant now = clock.instant();
        return Database.inTransaction(dataSource, c -> {
            List<String> entries = new ArrayList<>(store.reportEntries(c, source.id(), publication.studyUid()));
            if (publication.manifestEntryUuid() != null) {
                entries.add(publication.manifestEntryUuid());
            }
            for (String uuid : entries) {
                xds.updateStatus(c, uuid, AvailabilityStatus.DEPRECATED);
            }
            boolean any = publication.manifestEntryUuid() != null && !"deprecated".equals(publication.state());
            store.attempted(c, source.id(), publication.studyUid(), publication.fingerprint(),
                    any ? "deprecated" : publication.state(), null, null, now);
            return any ? Outcome.DEPRECATED : Outcome.NOTHING_TO_PUBLISH;
        });
    }

    private void registerReports(BridgeSource source, ArchiveStudy study, Bsn bsn) throws IOException {
        for (ArchiveInstance report : study.reports()) {
            boolean known = Database.read(dataSource, c -> store.reportEntry(c, source.id(), report.sopInstanceUid())).isPresent();
            if (known) {
                continue;
            }
            Optional<ReportContents.ReportContent> content = reports.fetch(source, study, report);
            if (content.isEmpty()) {
                continue;
            }
            ProvideAndRegisterDocumentSet request = mapper.report(source, study, bsn, report,
                    content.get().bytes(), content.get().mimeType());
            Database.inTransaction(dataSource, c -> {
                patients.add(c, bsn);
                RegistrationResult result = repository.provideAndRegister(c, request);
                store.reportRegistered(c, source.id(), study.studyInstanceUid(), report.sopInstanceUid(),
                        result.documentEntryUuids().get(0));
                return result;
            });
        }
    }

    private void hold(BridgeSource source, BridgeStore.Publication publication, String reason, String detail) {
        Instant now = clock.instant();
        Database.inTransaction(dataSource, c -> {
            store.review(c, source.id(), publication.studyUid(), reason, detail, now);
            store.attempted(c, source.id(), publication.studyUid(), publication.fingerprint(), "review", null, null, now);
            return null;
        });
        LOG.info("bridge {}: study held for review ({})", source.id(), reason);
    }
}
