package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks an ITI-57 request against the stored versions and decides what to write (ITI TF-2b
 * 3.57.4.1.3.3): reads and locks only, never writes.
 */
final class UpdatePlanner {

    /** A new version to insert and the stored version it supersedes. */
    record NewVersion(UpdateRequest.Trigger trigger, XDSMetaClass previous) {
        XDSMetaClass object() {
            return trigger.object();
        }
    }

    /** What to write: new versions (their status already set) and status changes of stored versions. */
    record Plan(List<NewVersion> newVersions, Map<String, AvailabilityStatus> storedStatusChanges,
                List<String> statusChangedUuids) {
    }

    private final XdsStore store;

    UpdatePlanner(XdsStore store) {
        this.store = store;
    }

    Plan plan(Connection c, UpdateRequest request) throws SQLException {
        Identifiable patientId = request.submissionSet().getPatientId();
        Map<String, XDSMetaClass> statusTargets = new HashMap<>();
        for (XDSMetaClass target : store.findByUuids(c, request.statusChanges().stream().map(Association::getTargetUuid).toList())) {
            statusTargets.put(target.getEntryUuid(), target);
        }
        Set<String> logicalUuids = new LinkedHashSet<>();
        request.newVersions().forEach(t -> logicalUuids.add(t.logicalUuid()));
        statusTargets.values().forEach(t -> logicalUuids.add(t.getLogicalUuid()));
        store.lockLogicalIds(c, logicalUuids);
        Map<String, XDSMetaClass> latest = latestVersions(c, logicalUuids);

        checkNewUuidsAreFree(c, request);
        Map<String, NewVersion> byLogicalUuid = new LinkedHashMap<>();
        for (UpdateRequest.Trigger trigger : request.newVersions()) {
            XDSMetaClass previous = checkNewVersion(trigger, latest.get(trigger.logicalUuid()), patientId);
            trigger.object().setAvailabilityStatus(previous.getAvailabilityStatus());
            byLogicalUuid.put(trigger.logicalUuid(), new NewVersion(trigger, previous));
        }

        Map<String, AvailabilityStatus> storedChanges = new LinkedHashMap<>();
        Set<String> changed = new LinkedHashSet<>();
        for (Association change : request.statusChanges()) {
            XDSMetaClass target = statusTarget(change, statusTargets, latest, byLogicalUuid, patientId);
            if (!changed.add(target.getEntryUuid())) {
                throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                        "two status changes of one object in one update", change.getEntryUuid());
            }
            if (target.getAvailabilityStatus() != change.getOriginalStatus()) {
                throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                        "OriginalStatus " + change.getOriginalStatus() + " does not match the current status "
                                + target.getAvailabilityStatus(), change.getEntryUuid());
            }
            if (byLogicalUuid.containsKey(target.getLogicalUuid())) {
                target.setAvailabilityStatus(change.getNewStatus()); // the new version, not yet stored
            } else {
                storedChanges.put(target.getEntryUuid(), change.getNewStatus());
            }
        }
        return new Plan(List.copyOf(byLogicalUuid.values()), storedChanges, List.copyOf(changed));
    }

    /** The newest stored version of each logical id. */
    private Map<String, XDSMetaClass> latestVersions(Connection c, Set<String> logicalUuids) throws SQLException {
        Map<String, XDSMetaClass> latest = new HashMap<>();
        for (XDSMetaClass version : store.findByLogicalIds(c, logicalUuids)) {
            latest.merge(version.getLogicalUuid(), version,
                    (a, b) -> Comparator.comparingInt(UpdatePlanner::version).compare(a, b) >= 0 ? a : b);
        }
        return latest;
    }

    private void checkNewUuidsAreFree(Connection c, UpdateRequest request) throws SQLException {
        List<String> uuids = new ArrayList<>();
        uuids.add(request.submissionSet().getEntryUuid());
        request.newVersions().forEach(t -> uuids.add(t.object().getEntryUuid()));
        List<XDSMetaClass> taken = store.findByUuids(c, uuids);
        if (!taken.isEmpty()) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR, "entryUuid is already registered", taken.get(0).getEntryUuid());
        }
        List<Association> takenAssociations = store.findAssociationsByUuids(c,
                request.associations().stream().map(Association::getEntryUuid).toList());
        if (!takenAssociations.isEmpty()) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR, "association entryUuid is already registered",
                    takenAssociations.get(0).getEntryUuid());
        }
        if (!store.findByUniqueIds(c, XdsStore.Kind.SUBMISSION_SET, List.of(request.submissionSet().getUniqueId())).isEmpty()) {
            throw new XdsException(ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY, "submission set uniqueId is already registered",
                    request.submissionSet().getUniqueId());
        }
    }

    /** ITI TF-2b 3.57.4.1.3.3.1 (document entry) and 3.57.4.1.3.3.3 (folder): returns the version superseded. */
    private static XDSMetaClass checkNewVersion(UpdateRequest.Trigger trigger, XDSMetaClass latest, Identifiable patientId) {
        XDSMetaClass object = trigger.object();
        String where = object.getEntryUuid();
        if (latest == null || XdsStore.Kind.of(latest) != XdsStore.Kind.of(object)) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR,
                    "no " + XdsStore.Kind.of(object) + " with this logicalUuid is registered", where);
        }
        if (!Integer.toString(version(latest)).equals(trigger.hasMember().getPreviousVersion().trim())) {
            throw new XdsException(ErrorCode.METADATA_VERSION_ERROR,
                    "PreviousVersion " + trigger.hasMember().getPreviousVersion() + " is not the current version "
                            + version(latest), trigger.hasMember().getEntryUuid());
        }
        if (!samePatient(object.getPatientId(), latest.getPatientId())) {
            throw new XdsException(ErrorCode.PATIENT_ID_RECONCILIATION_ERROR,
                    "an update cannot change the patient id", where);
        }
        if (!samePatient(object.getPatientId(), patientId)) {
            throw new XdsException(ErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                    "the new version's patient id differs from the submission set's", where);
        }
        if (!Objects.equals(object.getUniqueId(), latest.getUniqueId())) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR, "an update cannot change the uniqueId", where);
        }
        if (object instanceof DocumentEntry entry && latest instanceof DocumentEntry stored) {
            checkDocumentAttributes(entry, stored);
        }
        return latest;
    }

    /** The attributes that identify the document itself cannot change in a metadata update. */
    private static void checkDocumentAttributes(DocumentEntry entry, DocumentEntry stored) {
        String where = entry.getEntryUuid();
        if (entry.getType() != stored.getType()) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR, "an update cannot change the entry type", where);
        }
        if (stored.getType() == DocumentEntryType.ON_DEMAND) {
            return;
        }
        if (entry.getHash() == null || !entry.getHash().equalsIgnoreCase(stored.getHash())) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR, "an update cannot change the hash", where);
        }
        if (!Objects.equals(entry.getSize(), stored.getSize())) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR, "an update cannot change the size", where);
        }
        if (!Objects.equals(entry.getRepositoryUniqueId(), stored.getRepositoryUniqueId())) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR, "an update cannot change the repositoryUniqueId", where);
        }
    }

    /**
     * The version an UpdateAvailabilityStatus association changes: a new version of this request, or the
     * current stored version (then, when this request also versions the object, its new version instead;
     * ITI TF-2b 3.57.4.1.3.1).
     */
    private static XDSMetaClass statusTarget(Association change, Map<String, XDSMetaClass> stored,
                                             Map<String, XDSMetaClass> latest, Map<String, NewVersion> newVersions,
                                             Identifiable patientId) {
        for (NewVersion version : newVersions.values()) {
            if (version.object().getEntryUuid().equals(change.getTargetUuid())) {
                return version.object();
            }
        }
        XDSMetaClass target = stored.get(change.getTargetUuid());
        if (target == null) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR,
                    "the target of the status change is not registered", change.getEntryUuid());
        }
        if (target instanceof SubmissionSet) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                    "the status of a submission set cannot be changed", change.getEntryUuid());
        }
        if (!samePatient(target.getPatientId(), patientId)) {
            throw new XdsException(ErrorCode.PATIENT_ID_DOES_NOT_MATCH,
                    "the target of the status change belongs to another patient", change.getEntryUuid());
        }
        XDSMetaClass current = latest.get(target.getLogicalUuid()); // read under the lock: its status is the truth
        if (current == null) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR,
                    "the target of the status change was deleted concurrently", change.getEntryUuid());
        }
        if (!current.getEntryUuid().equals(target.getEntryUuid())) {
            throw new XdsException(ErrorCode.METADATA_VERSION_ERROR,
                    "the target of the status change is not the current version", change.getEntryUuid());
        }
        NewVersion superseding = newVersions.get(current.getLogicalUuid());
        return superseding != null ? superseding.object() : current;
    }

    static boolean samePatient(Identifiable a, Identifiable b) {
        return a != null && b != null && Objects.equals(a.getId(), b.getId())
                && Objects.equals(a.getAssigningAuthority() == null ? null : a.getAssigningAuthority().getUniversalId(),
                b.getAssigningAuthority() == null ? null : b.getAssigningAuthority().getUniversalId());
    }

    static int version(XDSMetaClass object) {
        return Integer.parseInt(object.getVersion().getVersionName());
    }
}
