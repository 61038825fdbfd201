package nl.beeldbrug.registry.audit;

import java.util.List;

/**
 * One access to patient data, as NEN 7513 requires it on record: what (event id and type), the
 * outcome, the patients concerned, and the full ATNA message (who, on whose behalf, why, when).
 */
public record AuditRecord(String eventId, String eventType, String outcome, List<String> patientIds, String message) {
}
