package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.patient.Bsn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/** The cross-reference table (V11 {@code patient_xref}): local patient id → BSN. Runs in the caller's transaction. */
public final class PatientCrossReference {

    public Optional<Bsn> bsnOf(Connection c, LocalPatientId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select bsn from patient_xref where local_domain = ? and local_id = ?")) {
            ps.setString(1, id.domain());
            ps.setString(2, id.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Bsn.parse(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Links (or re-links) the local id to the BSN; returns true when the row was new or its BSN changed. */
    public boolean link(Connection c, LocalPatientId id, Bsn bsn, String event, Instant at) throws SQLException {
        Optional<Bsn> before = bsnOfForUpdate(c, id);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into patient_xref (local_domain, local_id, bsn, event, updated_at) values (?, ?, ?, ?, ?)
                on conflict (local_domain, local_id) do update
                   set bsn = excluded.bsn, event = excluded.event, updated_at = excluded.updated_at""")) {
            ps.setString(1, id.domain());
            ps.setString(2, id.id());
            ps.setString(3, bsn.value());
            ps.setString(4, event);
            ps.setTimestamp(5, Timestamp.from(at));
            ps.executeUpdate();
        }
        return before.map(b -> !b.equals(bsn)).orElse(true);
    }

    /** Removes the local id's link; returns the BSN it had. */
    public Optional<Bsn> unlink(Connection c, LocalPatientId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "delete from patient_xref where local_domain = ? and local_id = ? returning bsn")) {
            ps.setString(1, id.domain());
            ps.setString(2, id.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Bsn.parse(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** The row, locked for this transaction (concurrent feed messages for one id apply one after the other). */
    public Optional<Bsn> bsnOfForUpdate(Connection c, LocalPatientId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select bsn from patient_xref where local_domain = ? and local_id = ? for update")) {
            ps.setString(1, id.domain());
            ps.setString(2, id.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Bsn.parse(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
