package nl.beeldbrug.registry.audit;

import java.util.List;

/**
 * One access to patient data, as NEN 7513 requires it on record: what (event id and type), the
 * outcome, the patients concerned, who asked (the requesting organisation's URA, the user) and why (the purpose
 * of use code), and the full ATNA message. The requester fields are null for messages that carry no requester.
 */
public record AuditRecord(String eventId, String eventType, String outcome, List<String> patientIds, String message,
                          String organisation, String userId, String purpose) {

    /** A record without requester fields (written before V8, or a message nobody stamped). */
    public AuditRecord(String eventId, String eventType, String outcome, List<String> patientIds, String message) {
        this(eventId, eventType, outcome, patientIds, message, null, null, null);
    }

    /** The same record naming other patients. */
    public AuditRecord withPatients(List<String> patients) {
        return new AuditRecord(eventId, eventType, outcome, patients, message, organisation, userId, purpose);
    }

    boolean hasRequester() {
        return organisation != null || userId != null || purpose != null;
    }
}
