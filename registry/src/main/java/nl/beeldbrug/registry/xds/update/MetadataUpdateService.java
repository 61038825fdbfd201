package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.PatientIds;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Version;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * ITI-57 Update Document Set, the Document Registry side of the XDS Metadata Update option (ITI TF-2b
 * 3.57, ITI TF-3 4.1.x). The request is IPF's {@link RegisterDocumentSet} as the {@code xds-iti57}
 * endpoint delivers it; it may hold:
 * <ul>
 *   <li>new versions of document entries and folders, each the target of a SubmissionSet HasMember
 *   association whose PreviousVersion names the current version. The new version keeps the logicalUuid,
 *   gets the next version number and the availability status of the version it supersedes (Approved in
 *   the normal case); the superseded version becomes Deprecated. Folder memberships of the superseded
 *   version are copied to the new one unless the HasMember association disables AssociationPropagation;</li>
 *   <li>UpdateAvailabilityStatus associations from the submission set (OriginalStatus/NewStatus,
 *   Approved and Deprecated) on the current version of a document entry or folder; when the same request
 *   also versions that object, the change applies to the new version (ITI TF-2b 3.57.4.1.3.1).</li>
 * </ul>
 * The submission set and every association of the request are stored. All operations are applied in
 * one transaction or none is: a refusal is an {@link XdsException} and leaves the registry unchanged.
 * Refusals: XDSMetadataUpdateError (unknown logicalUuid, changed uniqueId/hash/size/repositoryUniqueId/
 * entry type, entryUuid already used), XDSMetadataVersionError (PreviousVersion is not the current version,
 * or a status change names an older version), XDSPatientIDReconciliationError (the patient id of a new
 * version differs from the stored one; patient id changes are refused, not reconciled),
 * XDSMetadataUpdateOperationError (wrong OriginalStatus, unsupported operation), XDSInvalidRequestException
 * (an initial version in an update). UnmodifiableMetadataError is not used: IPF's catalogue and the IHE
 * text scope it to Restricted Metadata Update (ITI-92).
 */
public final class MetadataUpdateService {

    private final DataSource dataSource;
    private final XdsStore store;
    private final PatientIndex patients;
    private final Clock clock;
    private final UpdatePlanner planner;

    public MetadataUpdateService(DataSource dataSource, XdsStore store, PatientIndex patients, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.patients = patients;
        this.clock = clock;
        this.planner = new UpdatePlanner(store);
    }

    /** What an accepted update stored: the submission set, the new versions, the objects whose status changed. */
    public record UpdateResult(String submissionSetUuid, List<String> newVersionUuids, List<String> statusChangedUuids) {
    }

    /** Applies the update; throws {@link XdsException} (nothing changed) when it is refused. */
    public UpdateResult update(RegisterDocumentSet request) {
        return Database.inTransaction(dataSource, c -> update(c, request));
    }

    private UpdateResult update(Connection c, RegisterDocumentSet request) throws SQLException {
        UpdateRequest parsed = UpdateRequest.of(request);
        SubmissionSet submissionSet = parsed.submissionSet();
        Bsn bsn = PatientIds.bsnOf(submissionSet.getPatientId());
        if (!patients.exists(c, bsn)) {
            throw new XdsException(ErrorCode.UNKNOWN_PATIENT_ID, "the patient is not known in this affinity domain");
        }
        UpdatePlanner.Plan plan = planner.plan(c, parsed);

        // write: everything below runs only when every check above passed
        ZonedDateTime now = ZonedDateTime.now(clock);
        submissionSet.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        submissionSet.setLogicalUuid(submissionSet.getEntryUuid());
        submissionSet.setVersion(new Version("1"));
        store.insert(c, submissionSet, bsn.value());
        List<String> newVersionUuids = new ArrayList<>();
        for (UpdatePlanner.NewVersion version : plan.newVersions()) {
            XDSMetaClass object = version.object();
            object.setLogicalUuid(version.previous().getLogicalUuid());
            object.setVersion(new Version(Integer.toString(UpdatePlanner.version(version.previous()) + 1)));
            if (object instanceof Folder folder) {
                folder.setLastUpdateTime(new Timestamp(now, Timestamp.Precision.SECOND));
            }
            store.insert(c, object, bsn.value());
            store.updateStatus(c, version.previous().getEntryUuid(), AvailabilityStatus.DEPRECATED);
            newVersionUuids.add(object.getEntryUuid());
        }
        for (Map.Entry<String, AvailabilityStatus> change : plan.storedStatusChanges().entrySet()) {
            store.updateStatus(c, change.getKey(), change.getValue());
        }
        for (Association association : parsed.associations()) {
            association.setAvailabilityStatus(AvailabilityStatus.APPROVED);
            store.insert(c, association);
        }
        for (Association membership : propagatedMemberships(c, plan.newVersions())) {
            store.insert(c, membership);
        }
        return new UpdateResult(submissionSet.getEntryUuid(), newVersionUuids, plan.statusChangedUuids());
    }

    /**
     * Copies of the Approved folder memberships (Folder HasMember DocumentEntry) of superseded versions,
     * pointing at their new versions; one copy when both the folder and the document get a new version.
     */
    private List<Association> propagatedMemberships(Connection c, List<UpdatePlanner.NewVersion> versions) throws SQLException {
        Map<String, String> successor = new HashMap<>();
        for (UpdatePlanner.NewVersion version : versions) {
            if (version.trigger().propagate()) {
                successor.put(version.previous().getEntryUuid(), version.object().getEntryUuid());
            }
        }
        List<Association> memberships = store.findAssociationsTouching(c, successor.keySet()).stream()
                .filter(a -> a.getAssociationType() == AssociationType.HAS_MEMBER)
                .filter(a -> a.getAvailabilityStatus() == AvailabilityStatus.APPROVED)
                .toList();
        Set<String> folders = new HashSet<>();
        for (XDSMetaClass source : store.findByUuids(c, memberships.stream().map(Association::getSourceUuid).distinct().toList())) {
            if (source instanceof Folder) {
                folders.add(source.getEntryUuid());
            }
        }
        List<Association> copies = new ArrayList<>();
        Set<String> pairs = new HashSet<>();
        for (Association membership : memberships) {
            if (!folders.contains(membership.getSourceUuid())) {
                continue;
            }
            String source = successor.getOrDefault(membership.getSourceUuid(), membership.getSourceUuid());
            String target = successor.getOrDefault(membership.getTargetUuid(), membership.getTargetUuid());
            if (pairs.add(source + ' ' + target)) {
                Association copy = new Association(AssociationType.HAS_MEMBER, "urn:uuid:" + UUID.randomUUID(), source, target);
                copy.setAvailabilityStatus(AvailabilityStatus.APPROVED);
                copies.add(copy);
            }
        }
        return copies;
    }
}
