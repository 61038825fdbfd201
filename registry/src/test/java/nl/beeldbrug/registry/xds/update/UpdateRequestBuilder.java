package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;

/** Builds ITI-57 requests the way IPF's {@code xds-iti57} endpoint hands them over. */
final class UpdateRequestBuilder {

    private final RegisterDocumentSet request = new RegisterDocumentSet();
    private final SubmissionSet submissionSet;
    private Association lastHasMember;

    UpdateRequestBuilder(Bsn patient) {
        submissionSet = XdsFixture.submissionSet(patient);
        request.setSubmissionSet(submissionSet);
    }

    /** A new version of a document entry or folder, with its SS HasMember association carrying PreviousVersion. */
    UpdateRequestBuilder version(XDSMetaClass newVersion, String previousVersion) {
        if (newVersion instanceof DocumentEntry entry) {
            request.getDocumentEntries().add(entry);
        } else {
            request.getFolders().add((Folder) newVersion);
        }
        lastHasMember = XdsFixture.association(AssociationType.HAS_MEMBER, submissionSet.getEntryUuid(), newVersion.getEntryUuid());
        lastHasMember.setPreviousVersion(previousVersion);
        request.getAssociations().add(lastHasMember);
        return this;
    }

    /** Disables association propagation on the last version's HasMember association. */
    UpdateRequestBuilder withoutPropagation() {
        lastHasMember.setAssociationPropagation(false);
        return this;
    }

    UpdateRequestBuilder status(String target, AvailabilityStatus from, AvailabilityStatus to) {
        Association change = XdsFixture.association(AssociationType.UPDATE_AVAILABILITY_STATUS, submissionSet.getEntryUuid(), target);
        change.setOriginalStatus(from);
        change.setNewStatus(to);
        request.getAssociations().add(change);
        return this;
    }

    UpdateRequestBuilder association(Association association) {
        request.getAssociations().add(association);
        return this;
    }

    SubmissionSet submissionSet() {
        return submissionSet;
    }

    RegisterDocumentSet build() {
        return request;
    }
}
