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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The durable audit trail (NEN 7513, ATNA). Append-only; each record carries the SHA-256 of its
 * content chained to the previous record's hash, so that a changed or removed record is evident
 * ({@link #verify}).
 */
public final class AuditStore {

    private static final String GENESIS = "0".repeat(64);
    private static final long CHAIN_LOCK = 7513L;

    /** The record columns, in the order {@link #read} expects them. */
    private static final String COLUMNS = "event_id, event_type, outcome, patient_ids, message, organisation, user_id, purpose";
    /** Chain version of the rows written since V8: the hash also covers recorded_at and the requester columns. */
    static final int CHAIN_VERSION = 2;

    /** The most records one transaction writes (bounds the transaction and the wait of the last in a batch). */
    static final int MAX_BATCH = 256;

    private final DataSource dataSource;
    private final Clock clock;
    /** Records waiting for a batch, oldest first; also the monitor of {@link #writing} and of each {@link Pending}. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Whether a thread is writing a batch now (at most one per store; other processes wait on the advisory lock). */
    private boolean writing;

    public AuditStore(DataSource dataSource) {
        this(dataSource, Clock.systemUTC());
    }

    public AuditStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * Appends a record to the chain and returns once it is committed (durable as the database's commits are).
     * Ids are drawn under the chain's advisory lock, which is held until commit, so records become visible in id
     * order: a reader that has seen id n will never later see a smaller new id (what {@link #after} and the
     * forwarder rely on).
     * <p>
     * Group commit: records appended concurrently are written in one transaction, in the order they arrived, so
     * that they share one commit (one WAL flush). The thread that finds no batch being written writes the
     * waiting records (at most {@link #MAX_BATCH}); the others wait for the outcome of the batch holding their
     * record. A batch is committed or rolled back whole: when it fails, every append in it throws, and none of
     * its records is stored.
     */
    public void append(AuditRecord record) {
        Pending mine = new Pending(record);
        synchronized (queue) {
            queue.add(mine);
        }
        boolean interrupted = false;
        try {
            while (true) {
                List<Pending> batch;
                synchronized (queue) {
                    while (writing && !mine.done) {
                        try {
                            queue.wait();
                        } catch (InterruptedException e) {
                            interrupted = true; // the record is queued: its outcome must be waited for
                        }
                    }
                    if (mine.done) {
                        break;
                    }
                    writing = true;
                    batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
                    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                        batch.add(queue.poll());
                    }
                }
                RuntimeException failure = null;
                try {
                    write(batch);
                } catch (RuntimeException | Error e) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } finally {
                    synchronized (queue) {
                        for (Pending pending : batch) {
                            pending.failure = failure;
                            pending.done = true;
                        }
                        writing = false;
                        queue.notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    /** Writes one batch in one transaction, chained after the newest stored record. */
    private void write(List<Pending> batch) {
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
                    "insert into audit_event (" + COLUMNS + ", prev_hash, hash, recorded_at, chain_version)"
                            + " values (?,?,?,?,?,?,?,?,?,?,?,?)")) {
                for (Pending pending : batch) {
                    AuditRecord record = pending.record;
                    Instant recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS); // what timestamptz keeps
                    String hash = hash(previous, record, CHAIN_VERSION, recordedAt);
                    ps.setString(1, record.eventId());
                    ps.setString(2, record.eventType());
                    ps.setString(3, record.outcome());
                    ps.setArray(4, c.createArrayOf("text", record.patientIds().toArray()));
                    ps.setString(5, record.message());
                    ps.setString(6, record.organisation());
                    ps.setString(7, record.userId());
                    ps.setString(8, record.purpose());
                    ps.setString(9, previous);
                    ps.setString(10, hash);
                    ps.setObject(11, OffsetDateTime.ofInstant(recordedAt, ZoneOffset.UTC));
                    ps.setInt(12, CHAIN_VERSION);
                    ps.addBatch();
                    previous = hash;
                }
                ps.executeBatch(); // ids come from the sequence in statement order: chain order
            }
            return null;
        });
    }

    /** A record waiting to be written, and the outcome of the batch that wrote it. Guarded by {@link #queue}. */
    private static final class Pending {
        final AuditRecord record;
        boolean done;
        RuntimeException failure;

        Pending(AuditRecord record) {
            this.record = record;
        }
    }

    /** Records concerning one patient, oldest first ("who looked at my data"). */
    public List<AuditRecord> forPatient(String patientId) {
        return Database.read(dataSource, c -> select(c,
                "select " + COLUMNS + " from audit_event where ? = any(patient_ids) order by id",
                patientId));
    }

    /**
     * One page of the trail for a privacy officer, newest first: records concerning {@code patient} (any when null),
     * recorded within [{@code from}, {@code to}] (open when null), skipping {@code offset}, at most {@code limit};
     * with the number of all matching records.
     */
    public SearchPage search(String patient, Instant from, Instant to, int offset, int limit) {
        return search(patient, null, from, to, offset, limit);
    }

    /**
     * As {@link #search(String, Instant, Instant, int, int)}, also narrowed to the records of requests by one
     * {@code organisation} (URA; any when null).
     */
    public SearchPage search(String patient, String organisation, Instant from, Instant to, int offset, int limit) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> parameters = new ArrayList<>();
        if (patient != null) {
            where.append(" and ? = any(patient_ids)");
            parameters.add(patient);
        }
        if (organisation != null) {
            where.append(" and organisation = ?");
            parameters.add(organisation);
        }
        if (from != null) {
            where.append(" and recorded_at >= ?");
            parameters.add(java.sql.Timestamp.from(from));
        }
        if (to != null) {
            where.append(" and recorded_at <= ?");
            parameters.add(java.sql.Timestamp.from(to));
        }
        return Database.read(dataSource, c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("select count(*) from audit_event" + where)) {
                bind(ps, parameters);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<StoredAuditEvent> events = new ArrayList<>();
            if (limit > 0) {
                try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + ", id,"
                        + " recorded_at from audit_event" + where + " order by id desc offset ? limit ?")) {
                    bind(ps, parameters);
                    ps.setInt(parameters.size() + 1, offset);
                    ps.setInt(parameters.size() + 2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            events.add(new StoredAuditEvent(rs.getLong(9), recordedAt(rs, 10), read(rs)));
                        }
                    }
                }
            }
            return new SearchPage(events, total);
        });
    }

    /** A page of {@link #search}: its records, newest first, and how many match in all. */
    public record SearchPage(List<StoredAuditEvent> events, long total) {
    }

    private static void bind(PreparedStatement ps, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            ps.setObject(i + 1, parameters.get(i));
        }
    }

    /** The newest {@code limit} records, newest first. */
    public List<AuditRecord> latest(int limit) {
        return Database.read(dataSource, c -> select(c,
                "select " + COLUMNS + " from audit_event order by id desc limit ?",
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
        return verifyChain().intact();
    }

    /**
     * Walks the whole trail in id order and reports the first record whose stored hash does not match its
     * content (a changed row) or whose {@code prev_hash} is not its predecessor's hash (a removed or inserted
     * row). Removing the newest records leaves no trace in the chain itself; compare with what was forwarded
     * ({@link AuditForwardCursor}) or with the repository's copy for that.
     */
    public ChainVerification verifyChain() {
        return Database.inTransaction(dataSource, c -> {
            String previous = GENESIS;
            long checked = 0;
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                    + ", id, recorded_at, prev_hash, hash, chain_version from audit_event order by id")) {
                ps.setFetchSize(500); // streams inside the transaction instead of loading the trail
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        checked++;
                        AuditRecord record = read(rs);
                        long id = rs.getLong(9);
                        if (!previous.equals(rs.getString(11))) {
                            return new ChainVerification(false, checked, id, "link to the previous record broken");
                        }
                        if (!hash(previous, record, rs.getInt(13), recordedAt(rs, 10)).equals(rs.getString(12))) {
                            return new ChainVerification(false, checked, id, "content changed");
                        }
                        previous = rs.getString(12);
                    }
                }
            }
            return new ChainVerification(true, checked, null, null);
        });
    }

    /** Up to {@code limit} records with an id above {@code afterId}, oldest first (for forwarding). */
    public List<StoredAuditEvent> after(long afterId, int limit) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select " + COLUMNS + ", id, recorded_at from audit_event where id > ? order by id limit ?")) {
                ps.setLong(1, afterId);
                ps.setInt(2, limit);
                List<StoredAuditEvent> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new StoredAuditEvent(rs.getLong(9), recordedAt(rs, 10), read(rs)));
                    }
                }
                return result;
            }
        });
    }

    /** The id of the newest record (0 when the trail is empty). */
    public long latestId() {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select coalesce(max(id), 0) from audit_event");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
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
        return new AuditRecord(rs.getString(1), rs.getString(2), rs.getString(3), List.of(patients), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8));
    }

    private static Instant recordedAt(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /**
     * The record's hash chained to {@code previous}. Version 1 (rows written before V8) covers the event, outcome,
     * patients and message; version 2 also the time it was recorded and the requester columns (null as "-"
     * would be ambiguous, so each is prefixed with whether it is present).
     */
    static String hash(String previous, AuditRecord record, int chainVersion, Instant recordedAt) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<String> parts = new ArrayList<>(List.of(previous, record.eventId(), String.valueOf(record.eventType()),
                    record.outcome(), String.join(",", record.patientIds()), record.message()));
            if (chainVersion >= 2) {
                parts.add("v" + chainVersion);
                parts.add(recordedAt.toString());
                for (String requester : new String[]{record.organisation(), record.userId(), record.purpose()}) {
                    parts.add(requester == null ? "0" : "1" + requester);
                }
            } else if (record.hasRequester()) {
                parts.add("requester without chain version"); // a version 1 row never has them: changed
            }
            for (String part : parts) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
