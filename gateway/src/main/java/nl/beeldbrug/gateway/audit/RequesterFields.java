package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.gateway.consent.ReleaseAudit;
import org.openehealth.ipf.commons.audit.model.ActiveParticipantType;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.types.PurposeOfUse;

import java.util.List;

/**
 * The requester as {@link ReleaseAudit#stamp} put it into an ATNA message, for the audit trail's columns: the
 * organisation's URA (the active participant {@code urn:oid:2.16.528.1.1007.3.3.<URA>}), the user (the active
 * participant stamped right before it) and the purpose of use (HL7 ActReason). All null for an unstamped message.
 */
record RequesterFields(String organisation, String userId, String purpose) {

    static RequesterFields of(AuditMessage message) {
        List<ActiveParticipantType> participants = message.getActiveParticipants();
        String organisation = null;
        String user = null;
        for (int i = 0; i < participants.size(); i++) {
            String id = participants.get(i).getUserID();
            if (id != null && id.startsWith(ReleaseAudit.ORGANISATION_PREFIX)) {
                organisation = id.substring(ReleaseAudit.ORGANISATION_PREFIX.length());
                user = i > 0 ? participants.get(i - 1).getUserID() : null;
                break;
            }
        }
        String purpose = null;
        List<PurposeOfUse> purposes = message.getEventIdentification().getPurposesOfUse();
        for (PurposeOfUse p : purposes) {
            if (ReleaseAudit.PURPOSE_SYSTEM.equals(p.getCodeSystemName())) {
                purpose = p.getCode();
                break;
            }
        }
        return new RequesterFields(organisation, user, purpose);
    }
}
