package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.xds.XdsException;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * An ITI-57 request taken apart into its operations (ITI TF-2b 3.57.4.1.3): new versions of document
 * entries and folders, each with its SubmissionSet HasMember association, and UpdateAvailabilityStatus
 * associations. Checks only what the request shows by itself; nothing here reads the registry.
 */
record UpdateRequest(SubmissionSet submissionSet, List<Trigger> newVersions, List<Association> statusChanges,
                     List<Association> associations) {

    /** A submitted new version of a document entry or folder and the SS HasMember association that carries PreviousVersion. */
    record Trigger(XDSMetaClass object, Association hasMember) {
        String logicalUuid() {
            return object.getLogicalUuid();
        }

        boolean propagate() {
            return !Boolean.FALSE.equals(hasMember.getAssociationPropagation());
        }
    }

    static UpdateRequest of(RegisterDocumentSet request) {
        SubmissionSet submissionSet = request.getSubmissionSet();
        if (submissionSet == null) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "the submission has no submission set");
        }
        List<XDSMetaClass> versions = new ArrayList<>(request.getDocumentEntries());
        versions.addAll(request.getFolders());
        assignEntryUuids(submissionSet, versions, request.getAssociations());

        Map<String, XDSMetaClass> versionsByUuid = new LinkedHashMap<>();
        Set<String> logicalUuids = new HashSet<>();
        for (XDSMetaClass version : versions) {
            if (version.getLogicalUuid() == null || version.getLogicalUuid().equals(version.getEntryUuid())) {
                throw new XdsException(ErrorCode.INVALID_REQUEST_EXCEPTION,
                        "an update cannot contain an initial version (logicalUuid missing or equal to entryUuid)",
                        version.getEntryUuid());
            }
            if (!logicalUuids.add(version.getLogicalUuid())) {
                throw new XdsException(ErrorCode.METADATA_UPDATE_ERROR,
                        "two new versions of one object in one update", version.getEntryUuid());
            }
            versionsByUuid.put(version.getEntryUuid(), version);
        }

        Set<String> associationUuids = new HashSet<>();
        request.getAssociations().forEach(a -> associationUuids.add(a.getEntryUuid()));
        Map<String, Association> hasMembers = new HashMap<>();
        List<Association> statusChanges = new ArrayList<>();
        for (Association association : request.getAssociations()) {
            AssociationType type = association.getAssociationType();
            boolean fromSubmissionSet = submissionSet.getEntryUuid().equals(association.getSourceUuid());
            if (type == AssociationType.HAS_MEMBER && fromSubmissionSet
                    && versionsByUuid.containsKey(association.getTargetUuid())) {
                if (hasMembers.put(association.getTargetUuid(), association) != null) {
                    throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                            "a new version has two SubmissionSet HasMember associations", association.getEntryUuid());
                }
                if (association.getPreviousVersion() == null) {
                    throw new XdsException(ErrorCode.METADATA_VERSION_ERROR,
                            "PreviousVersion is missing in the SubmissionSet HasMember association", association.getEntryUuid());
                }
            } else if (type == AssociationType.HAS_MEMBER && fromSubmissionSet
                    && associationUuids.contains(association.getTargetUuid())) {
                continue; // the submission set lists an association of this request: stored as it is
            } else if (type == AssociationType.UPDATE_AVAILABILITY_STATUS && fromSubmissionSet) {
                checkStatuses(association);
                statusChanges.add(association);
            } else {
                throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                        "unsupported operation in an update: " + type + " association from "
                                + (fromSubmissionSet ? "the submission set" : "another object"),
                        association.getEntryUuid());
            }
        }

        List<Trigger> triggers = new ArrayList<>();
        for (XDSMetaClass version : versionsByUuid.values()) {
            Association hasMember = hasMembers.get(version.getEntryUuid());
            if (hasMember == null) {
                throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                        "a new version without a SubmissionSet HasMember association", version.getEntryUuid());
            }
            triggers.add(new Trigger(version, hasMember));
        }
        if (triggers.isEmpty() && statusChanges.isEmpty()) {
            throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                    "the update contains no new version and no status change", submissionSet.getEntryUuid());
        }
        return new UpdateRequest(submissionSet, triggers, statusChanges, List.copyOf(request.getAssociations()));
    }

    private static void checkStatuses(Association association) {
        AvailabilityStatus original = association.getOriginalStatus();
        AvailabilityStatus target = association.getNewStatus();
        if (original == null || target == null || original == target) { // IPF knows only Approved and Deprecated
            throw new XdsException(ErrorCode.METADATA_UPDATE_OPERATION_ERROR,
                    "OriginalStatus and NewStatus must be Approved and Deprecated, one each", association.getEntryUuid());
        }
    }

    /**
     * Gives symbolic ids ("SubmissionSet01") real urn:uuid values and rewrites association ends; refuses
     * an id used twice in one request.
     */
    private static void assignEntryUuids(SubmissionSet submissionSet, List<XDSMetaClass> versions, List<Association> associations) {
        Map<String, String> mapping = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<XDSMetaClass> objects = new ArrayList<>(versions);
        objects.add(0, submissionSet);
        for (XDSMetaClass object : objects) {
            object.setEntryUuid(assign(object.getEntryUuid(), mapping, seen));
        }
        for (Association association : associations) {
            association.setEntryUuid(assign(association.getEntryUuid(), mapping, seen));
        }
        for (Association association : associations) {
            association.setSourceUuid(mapping.getOrDefault(association.getSourceUuid(), association.getSourceUuid()));
            association.setTargetUuid(mapping.getOrDefault(association.getTargetUuid(), association.getTargetUuid()));
        }
    }

    private static String assign(String id, Map<String, String> mapping, Set<String> seen) {
        if (id != null && !seen.add(id)) {
            throw new XdsException(ErrorCode.REGISTRY_METADATA_ERROR, "an id is used twice in the request", id);
        }
        if (id != null && id.startsWith("urn:uuid:")) {
            return id;
        }
        String assigned = "urn:uuid:" + UUID.randomUUID();
        if (id != null) {
            mapping.put(id, assigned);
        }
        return assigned;
    }
}
