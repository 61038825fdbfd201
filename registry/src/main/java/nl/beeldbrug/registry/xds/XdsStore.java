package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.imaging.StudyAttributes;
import nl.beeldbrug.registry.imaging.StudyColumns;
import nl.beeldbrug.registry.imaging.StudySummaryBuilder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Version;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * JDBC access to the XDS tables. Every method works on the caller's connection so that services
 * decide the transaction. Objects are stored as IPF model JSON; availability status and version
 * live in columns and are the truth on read.
 */
public final class XdsStore {

    /** Registry object kinds, as stored in {@code registry_object.object_type}. */
    public enum Kind {
        DOCUMENT_ENTRY("DocumentEntry", DocumentEntry.class),
        SUBMISSION_SET("SubmissionSet", SubmissionSet.class),
        FOLDER("Folder", Folder.class);

        final String column;
        final Class<? extends XDSMetaClass> type;

        Kind(String column, Class<? extends XDSMetaClass> type) {
            this.column = column;
            this.type = type;
        }

        static Kind of(String column) {
            for (Kind k : values()) {
                if (k.column.equals(column)) {
                    return k;
                }
            }
            throw new IllegalStateException("unknown object type " + column);
        }

        public static Kind of(XDSMetaClass object) {
            if (object instanceof DocumentEntry) {
                return DOCUMENT_ENTRY;
            }
            if (object instanceof SubmissionSet) {
                return SUBMISSION_SET;
            }
            return FOLDER;
        }
    }

    private static final String OBJECT_COLUMNS = "entry_uuid, object_type, status, version, metadata";

    // ---------------------------------------------------------------- registry objects

    private static final String INSERT_OBJECT = "insert into registry_object (entry_uuid, object_type, unique_id, logical_id,"
            + " version, patient_bsn, status, entry_type, source_patient_id, hash, size, repository_unique_id, metadata,"
            + " study_instance_uid, accession_numbers, modalities, body_sites, service_start, study_role, author_ura)"
            + " values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    public void insert(Connection c, XDSMetaClass object, String patientBsn) throws SQLException {
        insertAll(c, List.of(object), patientBsn);
    }

    /** Inserts the objects of one patient in this order, as one JDBC batch (one round trip for a submission). */
    public void insertAll(Connection c, List<? extends XDSMetaClass> objects, String patientBsn) throws SQLException {
        if (objects.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_OBJECT)) {
            for (XDSMetaClass object : objects) {
                bindObject(ps, c, object, patientBsn);
                if (objects.size() == 1) {
                    ps.executeUpdate();
                    return;
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bindObject(PreparedStatement ps, Connection c, XDSMetaClass object, String patientBsn)
            throws SQLException {
        Kind kind = Kind.of(object);
        ps.setString(1, object.getEntryUuid());
        ps.setString(2, kind.column);
        ps.setString(3, object.getUniqueId());
        ps.setString(4, object.getLogicalUuid() != null ? object.getLogicalUuid() : object.getEntryUuid());
        ps.setInt(5, versionOf(object));
        ps.setString(6, patientBsn);
        ps.setString(7, statusName(object.getAvailabilityStatus()));
        if (object instanceof DocumentEntry de) {
            ps.setString(8, de.getType() == null ? null : de.getType().name());
            ps.setString(9, sourcePatientKey(de.getSourcePatientId()));
            ps.setString(10, de.getHash());
            if (de.getSize() == null) {
                ps.setNull(11, java.sql.Types.BIGINT);
            } else {
                ps.setLong(11, de.getSize());
            }
            ps.setString(12, de.getRepositoryUniqueId());
        } else {
            ps.setString(8, null);
            ps.setString(9, null);
            ps.setString(10, null);
            ps.setNull(11, java.sql.Types.BIGINT);
            ps.setString(12, null);
        }
        ps.setBytes(13, MetadataJson.writePacked(object));
        // the imaging study index (FHIR ImagingStudy) is a view of these rows
        StudyColumns.set(ps, 14, c, object instanceof DocumentEntry de ? StudyAttributes.of(de) : null);
        ps.setString(20, object instanceof DocumentEntry de ? StudySummaryBuilder.authorUra(de) : null);
    }

    /** Rewrites the stored metadata of an object (e.g. a folder's lastUpdateTime). */
    public void updateMetadata(Connection c, XDSMetaClass object) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update registry_object set metadata = ?, status = ? where entry_uuid = ?")) {
            ps.setBytes(1, MetadataJson.writePacked(object));
            ps.setString(2, statusName(object.getAvailabilityStatus()));
            ps.setString(3, object.getEntryUuid());
            ps.executeUpdate();
        }
    }

    public int updateStatus(Connection c, String entryUuid, AvailabilityStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update registry_object set status = ? where entry_uuid = ?")) {
            ps.setString(1, statusName(status));
            ps.setString(2, entryUuid);
            return ps.executeUpdate();
        }
    }

    public List<XDSMetaClass> findByUuids(Connection c, Collection<String> uuids) throws SQLException {
        if (uuids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select " + OBJECT_COLUMNS + " from registry_object where entry_uuid = any(?)")) {
            ps.setArray(1, textArray(c, uuids));
            return readObjects(ps);
        }
    }

    public Optional<XDSMetaClass> findByUuid(Connection c, String uuid) throws SQLException {
        return findByUuids(c, List.of(uuid)).stream().findFirst();
    }

    /** All versions of the objects of one kind with these unique ids, newest version first. */
    public List<XDSMetaClass> findByUniqueIds(Connection c, Kind kind, Collection<String> uniqueIds) throws SQLException {
        if (uniqueIds.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select " + OBJECT_COLUMNS + " from registry_object where unique_id = any(?) and object_type = ?"
                        + " order by version desc")) {
            ps.setArray(1, textArray(c, uniqueIds));
            ps.setString(2, kind.column);
            return readObjects(ps);
        }
    }

    /** All versions of the objects with these logical ids. */
    public List<XDSMetaClass> findByLogicalIds(Connection c, Collection<String> logicalIds) throws SQLException {
        if (logicalIds.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select " + OBJECT_COLUMNS + " from registry_object where logical_id = any(?) order by version")) {
            ps.setArray(1, textArray(c, logicalIds));
            return readObjects(ps);
        }
    }

    /** A patient's objects of one kind whose status is one of {@code statuses} (all when empty). */
    public List<XDSMetaClass> findByPatient(Connection c, String bsn, Kind kind, Collection<AvailabilityStatus> statuses)
            throws SQLException {
        String sql = "select " + OBJECT_COLUMNS + " from registry_object where patient_bsn = ? and object_type = ?"
                + (statuses.isEmpty() ? "" : " and status = any(?)");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, bsn);
            ps.setString(2, kind.column);
            if (!statuses.isEmpty()) {
                ps.setArray(3, textArray(c, statuses.stream().map(XdsStore::statusName).toList()));
            }
            return readObjects(ps);
        }
    }

    /** The patient (BSN) an object belongs to. */
    public Optional<String> patientOf(Connection c, String entryUuid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select patient_bsn from registry_object where entry_uuid = ?")) {
            ps.setString(1, entryUuid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public int deleteObject(Connection c, String entryUuid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from registry_object where entry_uuid = ?")) {
            ps.setString(1, entryUuid);
            return ps.executeUpdate();
        }
    }

    /**
     * The BSNs registered for a local patient id (sourcePatientId, "id^^^&amp;oid&amp;ISO"): a
     * hospital that only knows its own id can still query.
     */
    public List<String> patientsBySourcePatientId(Connection c, Identifiable sourcePatientId) throws SQLException {
        String key = sourcePatientKey(sourcePatientId);
        if (key == null) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select distinct patient_bsn from registry_object where source_patient_id = ?")) {
            ps.setString(1, key);
            List<String> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        }
    }

    /** The BSNs of the document entries with these unique ids (e.g. to audit an ITI-43 retrieval per patient). */
    public List<String> patientsByDocumentUniqueIds(Connection c, Collection<String> uniqueIds) throws SQLException {
        if (uniqueIds.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("select distinct patient_bsn from registry_object"
                + " where unique_id = any(?) and object_type = 'DocumentEntry' order by 1")) {
            ps.setArray(1, textArray(c, uniqueIds));
            List<String> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(rs.getString(1));
                }
            }
            return result;
        }
    }

    /** Column form of a local patient id: id and assigning authority OID, "id^^^&amp;oid&amp;ISO". */
    static String sourcePatientKey(Identifiable id) {
        if (id == null || id.getId() == null) {
            return null;
        }
        String authority = id.getAssigningAuthority() == null ? "" : id.getAssigningAuthority().getUniversalId();
        return id.getId() + "^^^&" + (authority == null ? "" : authority) + "&ISO";
    }

    // ---------------------------------------------------------------- associations

    public void insert(Connection c, Association association) throws SQLException {
        insertAssociations(c, List.of(association));
    }

    /** Inserts the associations in this order, as one JDBC batch. */
    public void insertAssociations(Connection c, List<Association> associations) throws SQLException {
        if (associations.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into association (entry_uuid, association_type, source_uuid, target_uuid, status, metadata)"
                        + " values (?,?,?,?,?,?)")) {
            for (Association association : associations) {
                ps.setString(1, association.getEntryUuid());
                ps.setString(2, association.getAssociationType().name());
                ps.setString(3, association.getSourceUuid());
                ps.setString(4, association.getTargetUuid());
                ps.setString(5, statusName(association.getAvailabilityStatus()));
                ps.setBytes(6, MetadataJson.writePacked(association));
                if (associations.size() == 1) {
                    ps.executeUpdate();
                    return;
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public List<Association> findAssociationsByUuids(Connection c, Collection<String> uuids) throws SQLException {
        return associations(c, "entry_uuid = any(?)", uuids);
    }

    /** Associations whose source or target is one of {@code uuids}. */
    public List<Association> findAssociationsTouching(Connection c, Collection<String> uuids) throws SQLException {
        return associations(c, "source_uuid = any(?) or target_uuid = any(?)", uuids);
    }

    public List<Association> findAssociationsBySource(Connection c, Collection<String> uuids) throws SQLException {
        return associations(c, "source_uuid = any(?)", uuids);
    }

    public List<Association> findAssociationsByTarget(Connection c, Collection<String> uuids) throws SQLException {
        return associations(c, "target_uuid = any(?)", uuids);
    }

    public int updateAssociationStatus(Connection c, String entryUuid, AvailabilityStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update association set status = ? where entry_uuid = ?")) {
            ps.setString(1, statusName(status));
            ps.setString(2, entryUuid);
            return ps.executeUpdate();
        }
    }

    public int deleteAssociation(Connection c, String entryUuid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from association where entry_uuid = ?")) {
            ps.setString(1, entryUuid);
            return ps.executeUpdate();
        }
    }

    private List<Association> associations(Connection c, String where, Collection<String> uuids) throws SQLException {
        if (uuids.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select status, metadata from association where " + where + " order by inserted_at, entry_uuid")) {
            Array array = textArray(c, uuids);
            int params = (int) where.chars().filter(ch -> ch == '?').count();
            for (int i = 1; i <= params; i++) {
                ps.setArray(i, array);
            }
            List<Association> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Association a = MetadataJson.readPacked(rs.getBytes(2), Association.class);
                    a.setAvailabilityStatus(AvailabilityStatus.valueOf(rs.getString(1).toUpperCase()));
                    result.add(a);
                }
            }
            return result;
        }
    }

    // ---------------------------------------------------------------- helpers

    private List<XDSMetaClass> readObjects(PreparedStatement ps) throws SQLException {
        List<XDSMetaClass> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Kind kind = Kind.of(rs.getString(2));
                XDSMetaClass object = MetadataJson.readPacked(rs.getBytes(5), kind.type);
                object.setAvailabilityStatus(AvailabilityStatus.valueOf(rs.getString(3).toUpperCase()));
                object.setVersion(new Version(Integer.toString(rs.getInt(4))));
                result.add(object);
            }
        }
        return result;
    }

    static Array textArray(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }

    static int versionOf(XDSMetaClass object) {
        if (object.getVersion() == null || object.getVersion().getVersionName() == null) {
            return 1;
        }
        try {
            return Integer.parseInt(object.getVersion().getVersionName());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Column form of a status: "Approved", "Deprecated", "Submitted". */
    public static String statusName(AvailabilityStatus status) {
        AvailabilityStatus s = status == null ? AvailabilityStatus.APPROVED : status;
        String n = s.name().toLowerCase();
        return Character.toUpperCase(n.charAt(0)) + n.substring(1);
    }

    // ---------------------------------------------------------------- metadata update (ITI-57) and delete (ITI-62)

    /**
     * Locks every stored version of these logical ids until the caller's transaction ends (rows in a
     * fixed order, so two lockers never deadlock). Two concurrent updates of one object are thereby
     * serialized: the second reads the versions again after the first has committed.
     */
    public void lockLogicalIds(Connection c, Collection<String> logicalIds) throws SQLException {
        if (logicalIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select entry_uuid from registry_object where logical_id = any(?) order by entry_uuid for update")) {
            ps.setArray(1, textArray(c, logicalIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // reading the rows is what takes the locks
                }
            }
        }
    }

    /** Locks these registry objects (in a fixed order) until the caller's transaction ends. */
    public void lockObjects(Connection c, Collection<String> entryUuids) throws SQLException {
        if (entryUuids.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select entry_uuid from registry_object where entry_uuid = any(?) order by entry_uuid for update")) {
            ps.setArray(1, textArray(c, entryUuids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // reading the rows is what takes the locks
                }
            }
        }
    }
}
