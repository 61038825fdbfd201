package nl.beeldbrug.registry.audit;

import java.time.Instant;

/** An audit record as stored: its position in the trail ({@code id}, ascending in commit order) and when it was recorded. */
public record StoredAuditEvent(long id, Instant recordedAt, AuditRecord record) {
}
