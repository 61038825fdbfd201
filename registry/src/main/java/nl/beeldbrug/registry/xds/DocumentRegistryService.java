package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Version;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

/**
 * ITI-42 Register Document Set-b: stores a submission set with its document entries, folders and
 * associations in one transaction, all or nothing (ITI TF-2b 3.42.4.1.3).
 */
public final class DocumentRegistryService {

    private static final Set<AssociationType> DOCUMENT_RELATIONSHIPS = Set.of(
            AssociationType.REPLACE, AssociationType.APPEND, AssociationType.TRANSFORM,
            AssociationType.TRANSFORM_AND_REPLACE, AssociationType.SIGNS);
    private static final Set<AssociationType> REPLACING = Set.of(
            AssociationType.REPLACE, AssociationType.TRANSFORM_AND_REPLACE);

    private final DataSource dataSource;
    private final XdsStore store;
    private final PatientIndex patients;
    private final Clock clock;

    public DocumentRegistryService(DataSource dataSource, XdsStore store, PatientIndex patients, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.patients = patients;
        this.clock = clock;
    }

    /** Registers the submission; throws {@link XdsException} (nothing stored) when it is refused. */
    public RegistrationResult register(RegisterDocumentSet request) {
        return Database.inTransaction(dataSource, c -> register(c, request));
    }

    /** The outcome of a registration: what was stored, or that it was an identical resubmission. */
    public record RegistrationResult(boolean resubmission, List<String> documentEntryUuids, String submissionSetUuid) {
    }

    /**
     * Registers within the caller's transaction (the repository for ITI-41; loaders that put many
     * submissions in one transaction). The caller commits, or rolls back on an exception.
     */
    public RegistrationResult register(Connection c, RegisterDocumentSet request) throws SQLException {
        return register(c, request, true);
    }

    /** @param lock false when the caller already holds this request's {@link #lockUniqueIds} locks (ITI-41) */
    RegistrationResult register(Connection c, RegisterDocumentSet request, boolean lock) throws SQLException {
        SubmissionSet submissionSet = request.getSubmissionSet();
        if (submissionSet == null) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "the submission has no submission set");
        }
        if (lock) {
            lockUniqueIds(c, request);
        }
        Bsn bsn = PatientIds.bsnOf(submissionSet.getPatientId());
        checkSamePatient(submissionSet, request);
        checkUniqueIdsInMessage(request);
        if (!patients.exists(c, bsn)) {
            throw new XdsException(ErrorCode.UNKNOWN_PATIENT_ID, "the patient is not known in this affinity domain");
        }

        Map<String, DocumentEntry> existingDocs = existingDocumentsByUniqueId(c, request.getDocumentEntries());
        List<XDSMetaClass> existingSets = store.findByUniqueIds(c, XdsStore.Kind.SUBMISSION_SET,
                List.of(submissionSet.getUniqueId()));
        if (!existingSets.isEmpty()) {
            if (existingDocs.size() == request.getDocumentEntries().size()) {
                // the same submission again (a retry): identical documents are answered without a duplicate
                return new RegistrationResult(true, existingDocs.values().stream().map(DocumentEntry::getEntryUuid).toList(),
                        existingSets.get(0).getEntryUuid());
            }
            throw new XdsException(ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY,
                    "submission set uniqueId is already registered", submissionSet.getUniqueId());
        }
        for (Folder folder : request.getFolders()) {
            if (!store.findByUniqueIds(c, XdsStore.Kind.FOLDER, List.of(folder.getUniqueId())).isEmpty()) {
                throw new XdsException(ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY,
                        "folder uniqueId is already registered", folder.getUniqueId());
            }
        }

        checkEntryUuidsUnused(c, request, existingDocs);
        Map<String, String> uuids = assignEntryUuids(request, existingDocs);
        ZonedDateTime now = ZonedDateTime.now(clock);
        Set<String> reused = new HashSet<>();
        for (DocumentEntry entry : request.getDocumentEntries()) {
            if (existingDocs.containsKey(entry.getUniqueId())) {
                reused.add(entry.getEntryUuid());
            }
        }

        Map<String, XDSMetaClass> inSubmission = new HashMap<>();
        inSubmission.put(submissionSet.getEntryUuid(), submissionSet);
        request.getDocumentEntries().forEach(d -> inSubmission.put(d.getEntryUuid(), d));
        request.getFolders().forEach(f -> inSubmission.put(f.getEntryUuid(), f));
        Set<String> associationUuids = new HashSet<>();
        request.getAssociations().forEach(a -> associationUuids.add(a.getEntryUuid()));

        List<Association> extraAssociations = new ArrayList<>();
        List<String> toDeprecate = new ArrayList<>();
        Map<String, Folder> foldersToTouch = new LinkedHashMap<>();
        for (Association association : request.getAssociations()) {
            checkAssociation(c, association, bsn, inSubmission, associationUuids, extraAssociations, toDeprecate, foldersToTouch);
        }

        // write: everything below runs only when every check above passed
        submissionSet.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        approveNew(submissionSet);
        // one batch per table: the submission set, its new entries and folders, then every association
        List<XDSMetaClass> newObjects = new ArrayList<>();
        newObjects.add(submissionSet);
        List<String> storedDocs = new ArrayList<>();
        for (DocumentEntry entry : request.getDocumentEntries()) {
            if (reused.contains(entry.getEntryUuid())) {
                storedDocs.add(entry.getEntryUuid());
                continue;
            }
            approveNew(entry);
            newObjects.add(entry);
            storedDocs.add(entry.getEntryUuid());
        }
        for (Folder folder : request.getFolders()) {
            approveNew(folder);
            folder.setLastUpdateTime(new Timestamp(now, Timestamp.Precision.SECOND));
            newObjects.add(folder);
        }
        store.insertAll(c, newObjects, bsn.value());
        List<Association> newAssociations = new ArrayList<>(request.getAssociations());
        for (Association association : request.getAssociations()) {
            association.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        }
        newAssociations.addAll(extraAssociations);
        store.insertAssociations(c, newAssociations);
        for (String uuid : toDeprecate) {
            store.updateStatus(c, uuid, AvailabilityStatus.DEPRECATED);
        }
        for (Folder folder : foldersToTouch.values()) {
            folder.setLastUpdateTime(new Timestamp(now, Timestamp.Precision.SECOND));
            store.updateMetadata(c, folder);
        }
        return new RegistrationResult(false, storedDocs, uuids.getOrDefault(submissionSet.getEntryUuid(), submissionSet.getEntryUuid()));
    }

    /**
     * Serializes submissions that share a uniqueId, such as a source's retry racing its original:
     * without this both pass the existence checks before either commits and the registry holds
     * duplicates. Transaction-scoped advisory locks on the uniqueIds, taken in a fixed order (no
     * deadlock), released at commit or rollback.
     */
    static void lockUniqueIds(Connection c, RegisterDocumentSet request) throws SQLException {
        List<XDSMetaClass> objects = new ArrayList<>();
        if (request.getSubmissionSet() != null) {
            objects.add(request.getSubmissionSet());
        }
        objects.addAll(request.getDocumentEntries());
        objects.addAll(request.getFolders());
        SortedSet<Long> keys = new TreeSet<>();
        for (XDSMetaClass object : objects) {
            if (object.getUniqueId() != null) {
                keys.add(lockKey(object.getUniqueId()));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            for (long key : keys) {
                ps.setLong(1, key);
                ps.executeQuery().close();
            }
        }
    }

    private static long lockKey(String uniqueId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("xds-unique-id:" + uniqueId).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new registry object: Approved, its own logical id, version 1 (unless the submission set them). */
    public static void approveNew(XDSMetaClass object) {
        object.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        if (object.getLogicalUuid() == null) {
            object.setLogicalUuid(object.getEntryUuid());
        }
        if (object.getVersion() == null) {
            object.setVersion(new Version("1"));
        }
    }

    private static void checkSamePatient(SubmissionSet submissionSet, RegisterDocumentSet request) {
        List<XDSMetaClass> members = new ArrayList<>(request.getDocumentEntries());
        members.addAll(request.getFolders());
        for (XDSMetaClass member : members) {
            if (member.getPatientId() == null || !submissionSet.getPatientId().equals(member.getPatientId())) {
                throw new XdsException(ErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                        "all objects of a submission must have the submission set's patient id", member.getEntryUuid());
            }
        }
    }

    /** A uniqueId names one object of a submission (ITI TF-3 4.2.4.1: XDSRegistryDuplicateUniqueIdInMessage). */
    private static void checkUniqueIdsInMessage(RegisterDocumentSet request) {
        List<XDSMetaClass> objects = new ArrayList<>();
        objects.add(request.getSubmissionSet());
        objects.addAll(request.getDocumentEntries());
        objects.addAll(request.getFolders());
        Set<String> seen = new HashSet<>();
        for (XDSMetaClass object : objects) {
            if (object.getUniqueId() != null && !seen.add(object.getUniqueId())) {
                throw new XdsException(ErrorCode.REGISTRY_DUPLICATE_UNIQUE_ID_IN_MESSAGE,
                        "a uniqueId is used more than once in the submission", object.getUniqueId());
            }
        }
    }

    /**
     * A new object or association given a real UUID (not a symbolic id) must not reuse one the
     * registry already holds or one used twice in the submission: refused as XDSRegistryMetadataError
     * instead of failing on the primary key. Identical resubmitted documents keep their UUID.
     */
    private void checkEntryUuidsUnused(Connection c, RegisterDocumentSet request, Map<String, DocumentEntry> existingDocs)
            throws SQLException {
        List<String> supplied = new ArrayList<>();
        List<XDSMetaClass> objects = new ArrayList<>();
        objects.add(request.getSubmissionSet());
        objects.addAll(request.getFolders());
        request.getDocumentEntries().stream().filter(d -> !existingDocs.containsKey(d.getUniqueId())).forEach(objects::add);
        objects.forEach(o -> supplied.add(o.getEntryUuid()));
        request.getAssociations().forEach(a -> supplied.add(a.getEntryUuid()));
        List<String> uuids = supplied.stream().filter(u -> u != null && u.startsWith("urn:uuid:")).toList();
        Set<String> seen = new HashSet<>();
        for (String uuid : uuids) {
            if (!seen.add(uuid)) {
                throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "an entryUUID is used more than once in the submission", uuid);
            }
        }
        List<String> taken = new ArrayList<>();
        store.findByUuids(c, uuids).forEach(o -> taken.add(o.getEntryUuid()));
        store.findAssociationsByUuids(c, uuids).forEach(a -> taken.add(a.getEntryUuid()));
        if (!taken.isEmpty()) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "an entryUUID is already in use in the registry", taken.get(0));
        }
    }

    /**
     * Existing document entries with the same uniqueId: identical (same hash) ones are reused, a
     * different hash is XDSNonIdenticalHash.
     */
    private Map<String, DocumentEntry> existingDocumentsByUniqueId(Connection c, List<DocumentEntry> entries) throws SQLException {
        Map<String, DocumentEntry> result = new HashMap<>();
        List<String> uniqueIds = entries.stream().map(DocumentEntry::getUniqueId).toList();
        for (XDSMetaClass existing : store.findByUniqueIds(c, XdsStore.Kind.DOCUMENT_ENTRY, uniqueIds)) {
            result.putIfAbsent(existing.getUniqueId(), (DocumentEntry) existing);
        }
        for (DocumentEntry entry : entries) {
            DocumentEntry existing = result.get(entry.getUniqueId());
            if (existing == null) {
                continue;
            }
            boolean sameHash = entry.getHash() != null && entry.getHash().equalsIgnoreCase(existing.getHash());
            boolean sameSize = entry.getSize() == null || entry.getSize().equals(existing.getSize());
            if (!sameHash || !sameSize) {
                throw new XdsException(ErrorCode.NON_IDENTICAL_HASH,
                        "a document with this uniqueId and a different hash is already registered", entry.getUniqueId());
            }
            if (!existing.getPatientId().equals(entry.getPatientId())) {
                throw new XdsException(ErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                        "a document with this uniqueId is registered for another patient", entry.getUniqueId());
            }
        }
        return result;
    }

    /**
     * Gives symbolic ids ("Document01") real urn:uuid values, maps resubmitted identical documents
     * to their registered entry, and rewrites association ends accordingly.
     */
    private static Map<String, String> assignEntryUuids(RegisterDocumentSet request, Map<String, DocumentEntry> existingDocs) {
        Map<String, String> mapping = new HashMap<>();
        List<XDSMetaClass> objects = new ArrayList<>();
        objects.add(request.getSubmissionSet());
        objects.addAll(request.getDocumentEntries());
        objects.addAll(request.getFolders());
        for (XDSMetaClass object : objects) {
            String old = object.getEntryUuid();
            String assigned = old;
            if (object instanceof DocumentEntry de && existingDocs.containsKey(de.getUniqueId())) {
                assigned = existingDocs.get(de.getUniqueId()).getEntryUuid();
                de.setLogicalUuid(existingDocs.get(de.getUniqueId()).getLogicalUuid());
            } else if (old == null || !old.startsWith("urn:uuid:")) {
                assigned = "urn:uuid:" + UUID.randomUUID();
            }
            if (old != null) {
                mapping.put(old, assigned);
            }
            object.setEntryUuid(assigned);
        }
        for (Association association : request.getAssociations()) {
            String old = association.getEntryUuid();
            if (old == null || !old.startsWith("urn:uuid:")) {
                String assigned = "urn:uuid:" + UUID.randomUUID();
                if (old != null) {
                    mapping.put(old, assigned);
                }
                association.setEntryUuid(assigned);
            }
        }
        for (Association association : request.getAssociations()) {
            association.setSourceUuid(mapping.getOrDefault(association.getSourceUuid(), association.getSourceUuid()));
            association.setTargetUuid(mapping.getOrDefault(association.getTargetUuid(), association.getTargetUuid()));
        }
        return mapping;
    }

    private void checkAssociation(Connection c, Association association, Bsn bsn, Map<String, XDSMetaClass> inSubmission,
                                  Set<String> associationUuids, List<Association> extraAssociations,
                                  List<String> toDeprecate, Map<String, Folder> foldersToTouch) throws SQLException {
        AssociationType type = association.getAssociationType();
        if (type == null) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "association without a type", association.getEntryUuid());
        }
        if (type == AssociationType.HAS_MEMBER) {
            checkHasMember(c, association, bsn, inSubmission, associationUuids, foldersToTouch);
        } else if (DOCUMENT_RELATIONSHIPS.contains(type)) {
            checkDocumentRelationship(c, association, bsn, inSubmission, extraAssociations, toDeprecate, foldersToTouch);
        } else {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                    "association type " + type + " cannot be registered with ITI-42", association.getEntryUuid());
        }
    }

    private void checkHasMember(Connection c, Association association, Bsn bsn, Map<String, XDSMetaClass> inSubmission,
                                Set<String> associationUuids, Map<String, Folder> foldersToTouch) throws SQLException {
        XDSMetaClass source = inSubmission.get(association.getSourceUuid());
        String target = association.getTargetUuid();
        if (source instanceof SubmissionSet) {
            if (inSubmission.containsKey(target) || associationUuids.contains(target)) {
                return;
            }
            // a reference to an existing document entry or folder of the same patient
            XDSMetaClass existing = existingOfPatient(c, target, bsn, association);
            if (existing instanceof SubmissionSet) {
                throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                        "a submission set cannot contain another submission set", association.getEntryUuid());
            }
            if (association.getLabel() == null) {
                association.setLabel(AssociationLabel.REFERENCE);
            }
            return;
        }
        // Folder -> DocumentEntry membership; the folder may be new or already registered
        Folder folder;
        if (source instanceof Folder f) {
            folder = f;
        } else if (source == null) {
            XDSMetaClass existing = existingOfPatient(c, association.getSourceUuid(), bsn, association);
            if (!(existing instanceof Folder f)) {
                throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                        "HasMember source must be the submission set or a folder", association.getEntryUuid());
            }
            if (f.getAvailabilityStatus() != AvailabilityStatus.APPROVED) {
                throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                        "cannot add to a folder that is not Approved", association.getEntryUuid());
            }
            folder = f;
            foldersToTouch.put(f.getEntryUuid(), f);
        } else {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                    "HasMember source must be the submission set or a folder", association.getEntryUuid());
        }
        XDSMetaClass member = inSubmission.get(target);
        if (member == null) {
            member = existingOfPatient(c, target, bsn, association);
        }
        if (!(member instanceof DocumentEntry)) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                    "a folder can only contain document entries", association.getEntryUuid());
        }
        if (folder.getEntryUuid() == null) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "folder without entryUUID", association.getEntryUuid());
        }
    }

    private void checkDocumentRelationship(Connection c, Association association, Bsn bsn, Map<String, XDSMetaClass> inSubmission,
                                           List<Association> extraAssociations, List<String> toDeprecate,
                                           Map<String, Folder> foldersToTouch) throws SQLException {
        if (!(inSubmission.get(association.getSourceUuid()) instanceof DocumentEntry)) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                    "the source of a document relationship must be a document entry of this submission",
                    association.getEntryUuid());
        }
        XDSMetaClass target = existingOfPatient(c, association.getTargetUuid(), bsn, association);
        if (!(target instanceof DocumentEntry)) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                    "the target of a document relationship must be a registered document entry", association.getEntryUuid());
        }
        if (target.getAvailabilityStatus() != AvailabilityStatus.APPROVED
                && association.getAssociationType() != AssociationType.SIGNS) {
            throw new XdsException(ErrorCode.REGISTRY_DEPRECATED_DOCUMENT_ERROR,
                    "the target document entry is Deprecated", association.getTargetUuid());
        }
        if (REPLACING.contains(association.getAssociationType())) {
            if (toDeprecate.contains(target.getEntryUuid())) {
                throw new XdsException(ErrorCode.REPLACE_FAILED,
                        "the target document entry is replaced twice in one submission", association.getTargetUuid());
            }
            toDeprecate.add(target.getEntryUuid());
            // the replacement joins every folder the original is a member of (ITI TF-3 4.1.6.1)
            for (Association membership : store.findAssociationsByTarget(c, List.of(target.getEntryUuid()))) {
                if (membership.getAssociationType() != AssociationType.HAS_MEMBER) {
                    continue;
                }
                Optional<XDSMetaClass> folder = store.findByUuid(c, membership.getSourceUuid());
                if (folder.isPresent() && folder.get() instanceof Folder f) {
                    // the folder's content changes, so does its lastUpdateTime (ITI TF-3 4.1.9.1)
                    foldersToTouch.putIfAbsent(f.getEntryUuid(), f);
                    Association copy = new Association(AssociationType.HAS_MEMBER, "urn:uuid:" + UUID.randomUUID(),
                            folder.get().getEntryUuid(), association.getSourceUuid());
                    copy.setAvailabilityStatus(AvailabilityStatus.APPROVED);
                    extraAssociations.add(copy);
                }
            }
        }
    }

    private XDSMetaClass existingOfPatient(Connection c, String uuid, Bsn bsn, Association association) throws SQLException {
        Optional<XDSMetaClass> existing = uuid == null ? Optional.empty() : store.findByUuid(c, uuid);
        if (existing.isEmpty()) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR,
                    "association refers to an object that is neither in the submission nor in the registry",
                    association.getEntryUuid());
        }
        if (!bsn.value().equals(existing.get().getPatientId().getId())) {
            throw new XdsException(ErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                    "association refers to an object of another patient", association.getEntryUuid());
        }
        return existing.get();
    }
}
