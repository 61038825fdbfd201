package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.EntryUuids;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Version;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Turns one synthetic study into the rows the gateway's own registration paths would store for it,
 * as {@code DemoDataLoader} submits it: the KOS manifest through ITI-42 (submission set, entry,
 * HasMember) and the report through ITI-41 (its own submission set, entry, HasMember, and the text
 * in the repository). Column values follow {@code XdsStore.insert} and
 * {@code DocumentRegistryService.approveNew} exactly; only the entryUUIDs, which the registry draws
 * at random, come from a seeded generator here so that the corpus is reproducible.
 */
final class Registration {

    /** A {@code registry_object} row. */
    record ObjectRow(String entryUuid, String objectType, String uniqueId, String logicalId, int version, String patientBsn,
                     String status, String entryType, String sourcePatientId, String hash, Long size,
                     String repositoryUniqueId, String metadata) {
    }

    /** An {@code association} row. */
    record AssociationRow(String entryUuid, String associationType, String sourceUuid, String targetUuid, String status,
                          String metadata) {
    }

    /** A {@code document_content} row. */
    record ContentRow(String repositoryUniqueId, String documentUniqueId, String mimeType, String hash, long size,
                      byte[] content) {
    }

    /** Everything one receiver (COPY stream) is offered per study. */
    interface Rows {
        void object(ObjectRow row);

        void association(AssociationRow row);

        void content(ContentRow row);
    }

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

        // ITI-41: report, stored in the repository first. Its submission set is the same set as the
        // source sends it again with its own uniqueId: the registry's additions to the first one
        // (entryUUID, status, logicalUUID, version) are undone rather than deep-copying the set.
        set.setUniqueId(setUniqueId + ".1");
        set.setAvailabilityStatus(null);
        set.setLogicalUuid(null);
        set.setVersion(null);
        byte[] text = study.reportText().getBytes(StandardCharsets.UTF_8);
        DocumentEntry report = study.report();
        String hash = sha1(text);
        report.setHash(hash);
        report.setSize((long) text.length);
        report.setRepositoryUniqueId(repositoryUniqueId);
        out.content(new ContentRow(repositoryUniqueId, report.getUniqueId(),
                report.getMimeType() == null ? "application/octet-stream" : report.getMimeType(), hash, text.length, text));
        register(set, report, bsn, uuids, out);
    }

    private void register(SubmissionSet set, DocumentEntry entry, String bsn, EntryUuids uuids, Rows out) {
        set.setEntryUuid(uuids.next());
        entry.setEntryUuid(uuids.next());
        Association member = new Association(AssociationType.HAS_MEMBER, uuids.next(), set.getEntryUuid(), entry.getEntryUuid());
        member.setLabel(AssociationLabel.ORIGINAL);

        approveNew(set);
        out.object(row(set, bsn));
        approveNew(entry);
        out.object(row(entry, bsn));
        member.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        out.association(new AssociationRow(member.getEntryUuid(), member.getAssociationType().name(), member.getSourceUuid(),
                member.getTargetUuid(), XdsStore.statusName(member.getAvailabilityStatus()), MetadataJson.write(member)));
    }

    /** As DocumentRegistryService.approveNew. */
    private static void approveNew(XDSMetaClass object) {
        object.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        if (object.getLogicalUuid() == null) {
            object.setLogicalUuid(object.getEntryUuid());
        }
        if (object.getVersion() == null) {
            object.setVersion(new Version("1"));
        }
    }

    /** As XdsStore.insert. */
    private static ObjectRow row(XDSMetaClass object, String bsn) {
        String kind = object instanceof DocumentEntry ? "DocumentEntry" : object instanceof SubmissionSet ? "SubmissionSet" : "Folder";
        String logicalId = object.getLogicalUuid() != null ? object.getLogicalUuid() : object.getEntryUuid();
        String status = XdsStore.statusName(object.getAvailabilityStatus());
        String metadata = MetadataJson.write(object);
        if (object instanceof DocumentEntry de) {
            return new ObjectRow(object.getEntryUuid(), kind, object.getUniqueId(), logicalId, version(object), bsn, status,
                    de.getType() == null ? null : de.getType().name(),
                    de.getSourcePatientId() == null ? null : de.getSourcePatientId().getId(),
                    de.getHash(), de.getSize(), de.getRepositoryUniqueId(), metadata);
        }
        return new ObjectRow(object.getEntryUuid(), kind, object.getUniqueId(), logicalId, version(object), bsn, status,
                null, null, null, null, null, metadata);
    }

    /** As XdsStore.versionOf. */
    private static int version(XDSMetaClass object) {
        if (object.getVersion() == null || object.getVersion().getVersionName() == null) {
            return 1;
        }
        try {
            return Integer.parseInt(object.getVersion().getVersionName());
        } catch (NumberFormatException e) {
            return 1;
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
