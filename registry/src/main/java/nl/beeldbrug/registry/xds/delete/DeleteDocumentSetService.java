package nl.beeldbrug.registry.xds.delete;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ITI-62 Delete Document Set, the Document Registry side (Remove Metadata, ITI TF-2b 3.62). The request
 * is IPF's {@link RemoveMetadata}: a list of entryUUIDs of document entries, folders, submission sets
 * and associations (any version; each version is a registry object of its own).
 * <p>
 * Every referenced object is deleted in one transaction, or none is: an entryUUID that is not registered
 * is refused with UnresolvedReferenceException, and an object that an association outside the request
 * still references (as source or target) with ReferencesExistException, the codeContext naming the
 * object. Deleting a document entry therefore needs its SubmissionSet HasMember association (and any
 * folder membership or relationship association) in the same request. Conversely, deleting the last
 * association of an object that stays is refused with XDSUnreferencedObjectException (as the NIST XDS
 * toolkit's registry does), so that no document entry, folder or submission set is left orphaned.
 * <p>
 * Document content stays in the repository: this removes registry metadata only. Removing the bytes
 * is ITI-86 Remove Documents, a separate transaction of the Document Repository.
 */
public final class DeleteDocumentSetService {

    private final DataSource dataSource;
    private final XdsStore store;

    public DeleteDocumentSetService(DataSource dataSource, XdsStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /**
     * What was deleted, for the audit record: the entryUUIDs and the patients whose metadata it was
     * ({@link Bsn#value()} for the audit; its toString is masked).
     */
    public record DeleteResult(List<String> deletedUuids, Set<Bsn> patients) {
    }

    /** Deletes the referenced objects; throws {@link XdsException} (nothing deleted) when it is refused. */
    public DeleteResult delete(RemoveMetadata request) {
        Set<String> uuids = new LinkedHashSet<>();
        for (ObjectReference reference : request.getReferences()) {
            if (reference == null || reference.getId() == null || reference.getId().isBlank()) {
                throw new XdsException(ErrorCode.UNRESOLVED_REFERENCE_EXCEPTION, "an object reference has no id");
            }
            uuids.add(reference.getId());
        }
        if (uuids.isEmpty()) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "the request references no object");
        }
        return Database.inTransaction(dataSource, c -> delete(c, uuids));
    }

    private DeleteResult delete(Connection c, Set<String> uuids) throws SQLException {
        // locked first, so that an update (ITI-57) holding them commits its new associations before we look
        store.lockObjects(c, uuids);
        List<XDSMetaClass> objects = store.findByUuids(c, uuids);
        List<Association> associations = store.findAssociationsByUuids(c, uuids);
        Set<String> found = new LinkedHashSet<>();
        objects.forEach(o -> found.add(o.getEntryUuid()));
        associations.forEach(a -> found.add(a.getEntryUuid()));
        for (String uuid : uuids) {
            if (!found.contains(uuid)) {
                throw new XdsException(ErrorCode.UNRESOLVED_REFERENCE_EXCEPTION, "no registry object or association with this entryUUID", uuid);
            }
        }
        // an association may itself be the source or target of another (e.g. SubmissionSet HasMember association)
        for (Association referencing : store.findAssociationsTouching(c, uuids)) {
            if (uuids.contains(referencing.getEntryUuid())) {
                continue;
            }
            String referenced = uuids.contains(referencing.getSourceUuid()) ? referencing.getSourceUuid() : referencing.getTargetUuid();
            throw new XdsException(ErrorCode.REFERENCE_EXISTS_EXCEPTION,
                    "the object is referenced by an association that is not deleted", referenced);
        }
        checkNothingLeftUnreferenced(c, uuids, associations);

        Set<Bsn> patients = new LinkedHashSet<>();
        for (XDSMetaClass object : objects) {
            store.patientOf(c, object.getEntryUuid()).map(Bsn::of).ifPresent(patients::add);
        }
        for (Association association : associations) {
            store.patientOf(c, association.getSourceUuid()).map(Bsn::of).ifPresent(patients::add);
        }
        List<String> deleted = new ArrayList<>();
        for (Association association : associations) {
            deleted.add(deleted(store.deleteAssociation(c, association.getEntryUuid()), association.getEntryUuid()));
        }
        for (XDSMetaClass object : objects) {
            deleted.add(deleted(store.deleteObject(c, object.getEntryUuid()), object.getEntryUuid()));
        }
        return new DeleteResult(deleted, patients);
    }

    /**
     * An object that stays must keep at least one association: deleting the last association of a
     * document entry, folder or submission set that is not deleted itself is XDSUnreferencedObjectException.
     */
    private void checkNothingLeftUnreferenced(Connection c, Set<String> uuids, List<Association> associations) throws SQLException {
        Set<String> ends = new LinkedHashSet<>();
        for (Association association : associations) {
            ends.add(association.getSourceUuid());
            ends.add(association.getTargetUuid());
        }
        ends.removeAll(uuids);
        Set<String> stillReferenced = new HashSet<>();
        for (Association remaining : store.findAssociationsTouching(c, ends)) {
            if (!uuids.contains(remaining.getEntryUuid())) {
                stillReferenced.add(remaining.getSourceUuid());
                stillReferenced.add(remaining.getTargetUuid());
            }
        }
        for (XDSMetaClass end : store.findByUuids(c, ends)) {
            if (!stillReferenced.contains(end.getEntryUuid())) {
                throw new XdsException(ErrorCode.UNREFERENCED_OBJECT_EXCEPTION,
                        "the object would be left without any association", end.getEntryUuid());
            }
        }
    }

    /** A row that a concurrent transaction deleted first is unresolved now: the whole request rolls back. */
    private static String deleted(int rows, String uuid) {
        if (rows != 1) {
            throw new XdsException(ErrorCode.UNRESOLVED_REFERENCE_EXCEPTION, "the object was deleted concurrently", uuid);
        }
        return uuid;
    }
}
