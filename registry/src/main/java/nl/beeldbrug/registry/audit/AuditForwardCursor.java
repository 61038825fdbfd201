package nl.beeldbrug.registry.audit;

import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * How far the audit trail has been forwarded to a destination (table {@code audit_forward_cursor}, V7): the
 * highest {@code audit_event.id} written to it. Kept in the database so forwarding resumes after a restart.
 */
public final class AuditForwardCursor {

    private final DataSource dataSource;

    public AuditForwardCursor(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The last forwarded id (0: nothing yet). */
    public long position(String destination) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select last_event_id from audit_forward_cursor where destination = ?")) {
                ps.setString(1, destination);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Moves the cursor forward to {@code eventId} (never back). */
    public void advance(String destination, long eventId) {
        Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into audit_forward_cursor (destination, last_event_id) values (?, ?)"
                            + " on conflict (destination) do update set last_event_id = greatest(audit_forward_cursor.last_event_id,"
                            + " excluded.last_event_id), updated_at = now()")) {
                ps.setString(1, destination);
                ps.setLong(2, eventId);
                return ps.executeUpdate();
            }
        });
    }
}
