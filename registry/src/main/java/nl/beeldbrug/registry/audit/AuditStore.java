package nl.beeldbrug.registry.audit;

import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The durable audit trail (NEN 7513, ATNA). Append-only; each record carries the SHA-256 of its
 * content chained to the previous record's hash, so that a changed or removed record is evident
 * ({@link #verify}).
 */
public final class AuditStore {

    private static final String GENESIS = "0".repeat(64);
    private static final long CHAIN_LOCK = 7513L;

    private final DataSource dataSource;

    public AuditStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void append(AuditRecord record) {
        Database.inTransaction(dataSource, c -> {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, CHAIN_LOCK);
                lock.execute();
            }
            String previous = GENESIS;
            try (PreparedStatement ps = c.prepareStatement("select hash from audit_event order by id desc limit 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    previous = rs.getString(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into audit_event (event_id, event_type, outcome, patient_ids, message, prev_hash, hash)"
                            + " values (?,?,?,?,?,?,?)")) {
                ps.setString(1, record.eventId());
                ps.setString(2, record.eventType());
                ps.setString(3, record.outcome());
                ps.setArray(4, c.createArrayOf("text", record.patientIds().toArray()));
                ps.setString(5, record.message());
                ps.setString(6, previous);
                ps.setString(7, hash(previous, record));
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Records concerning one patient, oldest first ("who looked at my data"). */
    public List<AuditRecord> forPatient(String patientId) {
        return Database.read(dataSource, c -> select(c,
                "select event_id, event_type, outcome, patient_ids, message from audit_event where ? = any(patient_ids) order by id",
                patientId));
    }

    /** The newest {@code limit} records, newest first. */
    public List<AuditRecord> latest(int limit) {
        return Database.read(dataSource, c -> select(c,
                "select event_id, event_type, outcome, patient_ids, message from audit_event order by id desc limit ?",
                limit));
    }

    public long count() {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_event");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** True when every record's hash matches its content and its predecessor. */
    public boolean verify() {
        return Database.read(dataSource, c -> {
            String previous = GENESIS;
            try (PreparedStatement ps = c.prepareStatement(
                    "select event_id, event_type, outcome, patient_ids, message, prev_hash, hash from audit_event order by id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditRecord record = read(rs);
                    if (!previous.equals(rs.getString(6)) || !hash(previous, record).equals(rs.getString(7))) {
                        return false;
                    }
                    previous = rs.getString(7);
                }
            }
            return true;
        });
    }

    private static List<AuditRecord> select(Connection c, String sql, Object parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, parameter);
            List<AuditRecord> result = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(read(rs));
                }
            }
            return result;
        }
    }

    private static AuditRecord read(ResultSet rs) throws SQLException {
        String[] patients = (String[]) rs.getArray(4).getArray();
        return new AuditRecord(rs.getString(1), rs.getString(2), rs.getString(3), List.of(patients), rs.getString(5));
    }

    static String hash(String previous, AuditRecord record) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : new String[]{previous, record.eventId(), String.valueOf(record.eventType()), record.outcome(),
                    String.join(",", record.patientIds()), record.message()}) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
