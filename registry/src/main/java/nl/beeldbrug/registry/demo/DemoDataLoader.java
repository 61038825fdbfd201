package nl.beeldbrug.registry.demo;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.BytesDataSource;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.XdsStore;
import jakarta.activation.DataHandler;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import nl.beeldbrug.registry.xds.DocumentRegistryService;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Loads the demo data set through the real registration paths (ITI-42 for KOS manifests whose
 * images stay at the source, ITI-41 for reports whose text the repository keeps). Idempotent: a
 * data set already loaded (same seed) is left as it is.
 */
public final class DemoDataLoader {

    /** Studies per transaction: one commit per study would make start-up wait on fsync. */
    private static final int BATCH = 250;

    private final DataSource dataSource;
    private final PatientIndex patients;
    private final DocumentRegistryService registry;
    private final DocumentRepositoryService repository;
    private final XdsStore store;

    public DemoDataLoader(DataSource dataSource, PatientIndex patients, DocumentRegistryService registry,
                          DocumentRepositoryService repository, XdsStore store) {
        this.dataSource = dataSource;
        this.patients = patients;
        this.registry = registry;
        this.repository = repository;
        this.store = store;
    }

    /** Result of a load: how many studies were added (0 when the set was already there). */
    public record Loaded(int patients, int studiesAdded, boolean alreadyPresent) {
    }

    public Loaded load(int studyCount, long seed, ZonedDateTime now) {
        int patientCount = Math.max(1, Math.min(800, studyCount / 4));
        List<Bsn> bsns = SyntheticStudies.patients(patientCount);
        List<SyntheticStudies.Study> studies = SyntheticStudies.studies(studyCount, bsns, seed, now);
        if (studies.isEmpty()) {
            return new Loaded(0, 0, true);
        }
        SyntheticStudies.Study last = studies.get(studies.size() - 1);
        boolean present = Database.read(dataSource, c -> !store.findByUniqueIds(c, XdsStore.Kind.SUBMISSION_SET,
                List.of(last.submissionSet().getUniqueId())).isEmpty());
        if (present) {
            return new Loaded(bsns.size(), 0, true);
        }
        Database.inTransaction(dataSource, c -> {
            for (Bsn bsn : bsns) {
                patients.add(c, bsn);
            }
            return null;
        });
        int added = 0;
        for (int from = 0; from < studies.size(); from += BATCH) {
            List<SyntheticStudies.Study> batch = studies.subList(from, Math.min(studies.size(), from + BATCH));
            added += Database.inTransaction(dataSource, c -> {
                int n = 0;
                for (SyntheticStudies.Study study : batch) {
                    if (register(c, study)) {
                        n++;
                    }
                }
                return n;
            });
        }
        return new Loaded(bsns.size(), added, false);
    }

    private boolean register(Connection c, SyntheticStudies.Study study) throws SQLException {
        RegisterDocumentSet manifest = new RegisterDocumentSet();
        manifest.setSubmissionSet(study.submissionSet());
        manifest.getDocumentEntries().add(study.manifest());
        Association member = new Association(AssociationType.HAS_MEMBER, "ManifestMember",
                study.submissionSet().getEntryUuid(), study.manifest().getEntryUuid());
        member.setLabel(AssociationLabel.ORIGINAL);
        manifest.getAssociations().add(member);
        var set = MetadataJson.copy(study.submissionSet());
        boolean resubmission = registry.register(c, manifest).resubmission();

        ProvideAndRegisterDocumentSet report = new ProvideAndRegisterDocumentSet();
        set.setEntryUuid("ReportSubmission");
        set.setUniqueId(set.getUniqueId() + ".1");
        report.setSubmissionSet(set);
        report.getDocuments().add(new Document(study.report(), new DataHandler(
                new BytesDataSource(study.reportText().getBytes(StandardCharsets.UTF_8), "text/plain"))));
        Association reportMember = new Association(AssociationType.HAS_MEMBER, "ReportMember",
                set.getEntryUuid(), study.report().getEntryUuid());
        reportMember.setLabel(AssociationLabel.ORIGINAL);
        report.getAssociations().add(reportMember);
        repository.provideAndRegister(c, report);
        return !resubmission;
    }
}
