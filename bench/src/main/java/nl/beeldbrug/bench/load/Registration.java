package nl.beeldbrug.bench.load;


import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.EntryUuids;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns one synthetic study into the rows the gateway's own registration paths would store for it,
 * as {@code DemoDataLoader} submits it: the KOS manifest through ITI-42 (submission set, entry,
 * HasMember) and the report through ITI-41 (its own submission set, entry, HasMember, and the text
 * in the repository). The rows come from the registry's own {@code XdsStore.insert}, run on a
 * {@link RecordingConnection}; the objects are prepared as {@code DocumentRegistryService} does
 * (approveNew) and the report as {@code DocumentRepositoryService} does (hash, size, repository).
 * Only the entryUUIDs, which the registry draws at random, come from a seeded generator here so
 * that the corpus is reproducible.
 */
final class Registration {

    /** A {@code document_content} row. */
    record ContentRow(String repositoryUniqueId, String documentUniqueId, String mimeType, String hash, long size,
                      byte[] content) {
    }

    /** What one study becomes: the registry's inserts (registry_object, association) and the repository's content. */
    interface Rows {
        void insert(RecordingConnection.Insert insert);

        void content(ContentRow row);
    }

    private final XdsStore store = new XdsStore();
    private final String repositoryUniqueId;

    Registration(String repositoryUniqueId) {
        this.repositoryUniqueId = repositoryUniqueId;
    }

    /** Emits the rows of one study; {@code uuids} is the patient's seeded UUID source. */
    void register(SyntheticStudies.Study study, EntryUuids uuids, Rows out) {
        String bsn = study.patient().value();
        SubmissionSet set = study.submissionSet();
        String setUniqueId = set.getUniqueId();

        // ITI-42: KOS manifest
        register(set, study.manifest(), bsn, uuids, out);
        if (study.report() == null) {
            return;
        }

        // ITI-41: report, stored in the repository first. Its submission set is the same set as the
        // source sends it again with its own uniqueId: the registry's additions to the first one
        // (entryUUID, status, logicalUUID, version) are undone rather than deep-copying the set.
        set.setUniqueId(setUniqueId + ".1");
        set.setAvailabilityStatus(null);
        set.setLogicalUuid(null);
        set.setVersion(null);
        register(set, storedReport(study, out), bsn, uuids, out);
    }

    /**
     * Emits the rows of one patient's studies in {@code layout}; returns the DocumentEntries registered
     * (with their entryUUIDs), manifests and reports, in registration order.
     */
    List<DocumentEntry> register(StudyCorpus.PatientStudies patient, EntryUuids uuids, Layout layout, Rows out) {
        List<DocumentEntry> entries = new ArrayList<>();
        if (!layout.lean()) {
            for (SyntheticStudies.Study study : patient.studies()) {
                register(study, uuids, out);
                entries.add(study.manifest());
                if (study.report() != null) {
                    entries.add(study.report());
                }
            }
            return entries;
        }
        // lean: the patient's studies as one ITI-41 submission of the source (the first study's set), each
        // manifest and, for some studies, the report with its text in the repository.
        String bsn = patient.bsn().value();
        SubmissionSet set = patient.studies().get(0).submissionSet();
        set.setEntryUuid(uuids.next());
        Connection c = RecordingConnection.create(out::insert);
        try {
            DocumentRegistryService.approveNew(set);
            store.insert(c, set, bsn);
            List<SyntheticStudies.Study> studies = patient.studies();
            for (int i = 0; i < studies.size(); i++) {
                SyntheticStudies.Study study = studies.get(i);
                member(c, set, study.manifest(), bsn, uuids);
                entries.add(study.manifest());
                if (study.report() != null && layout.hasReport(patient.patientNumber(), i)) {
                    member(c, set, storedReport(study, out), bsn, uuids);
                    entries.add(study.report());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return entries;
    }

    private void member(Connection c, SubmissionSet set, DocumentEntry entry, String bsn, EntryUuids uuids) throws SQLException {
        entry.setEntryUuid(uuids.next());
        Association member = new Association(AssociationType.HAS_MEMBER, uuids.next(), set.getEntryUuid(), entry.getEntryUuid());
        member.setLabel(AssociationLabel.ORIGINAL);
        DocumentRegistryService.approveNew(entry);
        store.insert(c, entry, bsn);
        member.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        store.insert(c, member);
    }

    /** The report as the repository stores it (hash, size, repository) with its content row emitted. */
    private DocumentEntry storedReport(SyntheticStudies.Study study, Rows out) {
        byte[] text = study.reportText().getBytes(StandardCharsets.UTF_8);
        DocumentEntry report = study.report();
        String hash = sha1(text);
        report.setHash(hash);
        report.setSize((long) text.length);
        report.setRepositoryUniqueId(repositoryUniqueId);
        out.content(new ContentRow(repositoryUniqueId, report.getUniqueId(),
                report.getMimeType() == null ? "application/octet-stream" : report.getMimeType(), hash, text.length, text));
        return report;
    }

    private void register(SubmissionSet set, DocumentEntry entry, String bsn, EntryUuids uuids, Rows out) {
        set.setEntryUuid(uuids.next());
        entry.setEntryUuid(uuids.next());
        Association member = new Association(AssociationType.HAS_MEMBER, uuids.next(), set.getEntryUuid(), entry.getEntryUuid());
        member.setLabel(AssociationLabel.ORIGINAL);

        Connection c = RecordingConnection.create(out::insert);
        try {
            DocumentRegistryService.approveNew(set);
            store.insert(c, set, bsn);
            DocumentRegistryService.approveNew(entry);
            store.insert(c, entry, bsn);
            member.setAvailabilityStatus(AvailabilityStatus.APPROVED);
            store.insert(c, member);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }


    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
