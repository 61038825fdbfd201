package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import jakarta.activation.DataHandler;
import nl.beeldbrug.registry.xds.BytesDataSource;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.PatientIds;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;

import javax.sql.DataSource;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Test data for the update and delete tests: XDS metadata of two known patients, initial registration
 * through {@link DocumentRegistryService} (ITI-42), and a snapshot of every stored row to prove that a
 * refused request changed nothing.
 */
public final class XdsFixture {

    public static final Bsn PATIENT = Bsn.of("123456782");
    public static final Bsn OTHER_PATIENT = Bsn.of("111222333");
    public static final String REPOSITORY = "1.3.6.1.4.1.21367.2010.1.2.1125";
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

    private final DataSource dataSource;
    private final XdsStore store = new XdsStore();
    private final DocumentRegistryService registry;

    public XdsFixture(DataSource dataSource) {
        this.dataSource = dataSource;
        this.registry = new DocumentRegistryService(dataSource, store, new PatientIndex(), CLOCK);
        Database.inTransaction(dataSource, c -> {
            new PatientIndex().add(c, PATIENT);
            new PatientIndex().add(c, OTHER_PATIENT);
            return null;
        });
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public XdsStore store() {
        return store;
    }

    // ------------------------------------------------------------------ metadata

    public static String uuid() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    public static String oid() {
        UUID u = UUID.randomUUID();
        byte[] bytes = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();
        return "2.25." + new BigInteger(1, bytes);
    }

    public static SubmissionSet submissionSet(Bsn patient) {
        SubmissionSet set = new SubmissionSet();
        set.setEntryUuid(uuid());
        set.setUniqueId(oid());
        set.setSourceId("1.3.6.1.4.1.21367.2010.1.2");
        set.setPatientId(PatientIds.of(patient));
        set.setSubmissionTime(new Timestamp(ZonedDateTime.now(CLOCK), Timestamp.Precision.SECOND));
        set.setContentTypeCode(new Code("18748-4", new LocalizedString("Diagnostic imaging study"), "2.16.840.1.113883.6.1"));
        return set;
    }

    public static DocumentEntry documentEntry(Bsn patient) {
        DocumentEntry entry = new DocumentEntry();
        entry.setEntryUuid(uuid());
        entry.setUniqueId(oid());
        entry.setPatientId(PatientIds.of(patient));
        entry.setTitle(new LocalizedString("CT thorax"));
        entry.setMimeType("application/dicom");
        entry.setHash("da39a3ee5e6b4b0d3255bfef95601890afd80709");
        entry.setSize(1234L);
        entry.setRepositoryUniqueId(REPOSITORY);
        entry.setClassCode(new Code("IMG", new LocalizedString("Imaging"), "2.16.840.1.113883.2.4.3.11.60.1.1"));
        return entry;
    }

    public static Folder folder(Bsn patient) {
        Folder folder = new Folder();
        folder.setEntryUuid(uuid());
        folder.setUniqueId(oid());
        folder.setPatientId(PatientIds.of(patient));
        folder.setTitle(new LocalizedString("Oncologie"));
        return folder;
    }

    public static Association association(AssociationType type, String source, String target) {
        Association association = new Association(type, uuid(), source, target);
        if (type == AssociationType.HAS_MEMBER) {
            association.setLabel(AssociationLabel.ORIGINAL);
        }
        return association;
    }

    /** A copy of a stored object as a document source would resubmit it: a new entryUuid, the same logicalUuid. */
    public static <T extends XDSMetaClass> T nextVersion(T stored) {
        T copy = MetadataJson.copy(stored);
        copy.setEntryUuid(uuid());
        copy.setVersion(null);
        copy.setAvailabilityStatus(null);
        return copy;
    }

    // ------------------------------------------------------------------ registration (ITI-42)

    /** What {@link #registerDocument} stored. */
    public record Registered(String submissionSetUuid, String documentUuid, String hasMemberUuid,
                             String folderUuid, String folderHasMemberUuid, String membershipUuid, String membershipHasMemberUuid) {
    }

    /** Registers a submission set with one document entry for {@code patient}. */
    public Registered registerDocument(Bsn patient) {
        return register(patient, false);
    }

    /** Registers a submission set with one document entry inside a new folder. */
    public Registered registerDocumentInFolder(Bsn patient) {
        return register(patient, true);
    }

    /**
     * Provides and registers (ITI-41) a submission set with one document whose bytes the co-located
     * repository stores.
     */
    public Registered provideDocument(Bsn patient, byte[] content) {
        DocumentRepositoryService repository = new DocumentRepositoryService(dataSource, registry, REPOSITORY, 1 << 20);
        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        SubmissionSet set = submissionSet(patient);
        DocumentEntry entry = documentEntry(patient);
        entry.setHash(null);
        entry.setSize(null);
        request.setSubmissionSet(set);
        request.getDocuments().add(new Document(entry, new DataHandler(new BytesDataSource(content, entry.getMimeType()))));
        Association hasMember = association(AssociationType.HAS_MEMBER, set.getEntryUuid(), entry.getEntryUuid());
        request.getAssociations().add(hasMember);
        repository.provideAndRegister(request);
        return new Registered(set.getEntryUuid(), entry.getEntryUuid(), hasMember.getEntryUuid(), null, null, null, null);
    }

    private Registered register(Bsn patient, boolean withFolder) {
        RegisterDocumentSet request = new RegisterDocumentSet();
        SubmissionSet set = submissionSet(patient);
        DocumentEntry entry = documentEntry(patient);
        request.setSubmissionSet(set);
        request.getDocumentEntries().add(entry);
        Association hasMember = association(AssociationType.HAS_MEMBER, set.getEntryUuid(), entry.getEntryUuid());
        request.getAssociations().add(hasMember);
        Folder folder = null;
        Association folderHasMember = null;
        Association membership = null;
        Association membershipHasMember = null;
        if (withFolder) {
            folder = folder(patient);
            request.getFolders().add(folder);
            folderHasMember = association(AssociationType.HAS_MEMBER, set.getEntryUuid(), folder.getEntryUuid());
            membership = association(AssociationType.HAS_MEMBER, folder.getEntryUuid(), entry.getEntryUuid());
            membershipHasMember = association(AssociationType.HAS_MEMBER, set.getEntryUuid(), membership.getEntryUuid());
            request.getAssociations().addAll(List.of(folderHasMember, membership, membershipHasMember));
        }
        registry.register(request);
        return new Registered(set.getEntryUuid(), entry.getEntryUuid(), hasMember.getEntryUuid(),
                withFolder ? folder.getEntryUuid() : null,
                withFolder ? folderHasMember.getEntryUuid() : null,
                withFolder ? membership.getEntryUuid() : null,
                withFolder ? membershipHasMember.getEntryUuid() : null);
    }

    // ------------------------------------------------------------------ reading back

    public XDSMetaClass object(String entryUuid) {
        return Database.read(dataSource, c -> store.findByUuid(c, entryUuid)).orElseThrow();
    }

    public boolean exists(String entryUuid) {
        return Database.read(dataSource, c -> store.findByUuid(c, entryUuid).isPresent()
                || !store.findAssociationsByUuids(c, List.of(entryUuid)).isEmpty());
    }

    public AvailabilityStatus status(String entryUuid) {
        return object(entryUuid).getAvailabilityStatus();
    }

    public List<Association> associationsTouching(String entryUuid) {
        return Database.read(dataSource, c -> store.findAssociationsTouching(c, List.of(entryUuid)));
    }

    public long count(String table) {
        return Database.read(dataSource, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /**
     * Every stored row of the XDS tables with what an update or delete could change (status, version,
     * metadata), in a fixed order: equal snapshots mean nothing was changed.
     */
    public List<String> snapshot() {
        return Database.read(dataSource, XdsFixture::snapshot);
    }

    private static List<String> snapshot(Connection c) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select entry_uuid, logical_id, version, status, md5(metadata::text)"
                    + " from registry_object order by entry_uuid")) {
                while (rs.next()) {
                    rows.add("object " + rs.getString(1) + " " + rs.getString(2) + " v" + rs.getInt(3) + " " + rs.getString(4) + " " + rs.getString(5));
                }
            }
            try (ResultSet rs = s.executeQuery("select entry_uuid, association_type, source_uuid, target_uuid, status"
                    + " from association order by entry_uuid")) {
                while (rs.next()) {
                    rows.add("association " + rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " -> "
                            + rs.getString(4) + " " + rs.getString(5));
                }
            }
            try (ResultSet rs = s.executeQuery("select document_unique_id, hash from document_content order by 1")) {
                while (rs.next()) {
                    rows.add("content " + rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return rows;
    }
}
