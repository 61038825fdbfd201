package nl.beeldbrug.registry.bridge.imports;

import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The durable import jobs (table {@code import_job}, V10). Time is the database's ({@code now()}), so that the
 * leases of workers in several processes are judged by one clock. A worker claims a due job (queued and due, or
 * running with an expired lease: its worker died) with {@code FOR UPDATE SKIP LOCKED}, renews its lease while it
 * works, reports progress, and ends the attempt with {@link #done}, {@link #retryLater} or {@link #fail}; every
 * write after the claim names the worker and does nothing once another worker has taken the job over.
 */
public final class ImportJobStore {

    private static final String COLUMNS = "id, study_instance_uid, target, state, requested_by, attempts, next_attempt_at,"
            + " instances_total, instances_done, instances_skipped, reason, created_at, updated_at, finished_at";

    private final DataSource dataSource;

    public ImportJobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new queued job, or the open (queued or running) job for the same study and target. */
    public ImportJob request(String studyInstanceUid, String target, String requestedBy) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into import_job (study_instance_uid, target, state, requested_by)"
                    + " values (?, ?, 'queued', ?) on conflict (study_instance_uid, target) where state in ('queued', 'running')"
                    + " do nothing returning " + COLUMNS)) {
                ps.setString(1, studyInstanceUid);
                ps.setString(2, target);
                ps.setString(3, requestedBy);
                Optional<ImportJob> created = one(ps);
                if (created.isPresent()) {
                    return created.get();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from import_job where study_instance_uid = ?"
                    + " and target = ? and state in ('queued', 'running')")) {
                ps.setString(1, studyInstanceUid);
                ps.setString(2, target);
                return one(ps).orElseThrow(() -> new IllegalStateException("open import job vanished"));
            }
        });
    }

    public Optional<ImportJob> read(long id) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from import_job where id = ?")) {
                ps.setLong(1, id);
                return one(ps);
            }
        });
    }

    /** Jobs in a state (null = all), newest first, at most {@code limit}. */
    public List<ImportJob> list(ImportJob.State state, int limit) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from import_job"
                    + (state == null ? "" : " where state = ?") + " order by id desc limit ?")) {
                int i = 1;
                if (state != null) {
                    ps.setString(i++, state.code());
                }
                ps.setInt(i, limit);
                return all(ps);
            }
        });
    }

    /** Claims the most overdue job for {@code worker} with a lease of {@code lease}; empty when none is due. */
    public Optional<ImportJob> claim(String worker, Duration lease) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("update import_job set state = 'running', attempts = attempts + 1,"
                    + " worker = ?, lease_until = now() + ? * interval '1 millisecond', updated_at = now()"
                    + " where id = (select id from import_job where (state = 'queued' and next_attempt_at <= now())"
                    + " or (state = 'running' and lease_until < now()) order by next_attempt_at, id"
                    + " for update skip locked limit 1) returning " + COLUMNS)) {
                ps.setString(1, worker);
                ps.setLong(2, lease.toMillis());
                return one(ps);
            }
        });
    }

    /** Extends the lease; false when the job is no longer this worker's. */
    public boolean renew(long id, String worker, Duration lease) {
        return update("update import_job set lease_until = now() + ? * interval '1 millisecond' where id = ? and worker = ?"
                + " and state = 'running'", ps -> {
            ps.setLong(1, lease.toMillis());
            ps.setLong(2, id);
            ps.setString(3, worker);
        });
    }

    /** Progress of a running job; false when the job is no longer this worker's. */
    public boolean progress(long id, String worker, int total, int done, int skipped) {
        return update("update import_job set instances_total = ?, instances_done = ?, instances_skipped = ?, updated_at = now()"
                + " where id = ? and worker = ? and state = 'running'", ps -> {
            ps.setInt(1, total);
            ps.setInt(2, done);
            ps.setInt(3, skipped);
            ps.setLong(4, id);
            ps.setString(5, worker);
        });
    }

    public boolean done(long id, String worker) {
        return update("update import_job set state = 'done', reason = null, lease_until = null, updated_at = now(),"
                + " finished_at = now() where id = ? and worker = ? and state = 'running'", ps -> {
            ps.setLong(1, id);
            ps.setString(2, worker);
        });
    }

    /** Ends the attempt; the job waits {@code backoff} for its next one. */
    public boolean retryLater(long id, String worker, String reason, Duration backoff) {
        return update("update import_job set state = 'queued', reason = ?, lease_until = null, worker = null,"
                + " next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now()"
                + " where id = ? and worker = ? and state = 'running'", ps -> {
            ps.setString(1, reason);
            ps.setLong(2, backoff.toMillis());
            ps.setLong(3, id);
            ps.setString(4, worker);
        });
    }

    public boolean fail(long id, String worker, String reason) {
        return update("update import_job set state = 'failed', reason = ?, lease_until = null, updated_at = now(),"
                + " finished_at = now() where id = ? and worker = ? and state = 'running'", ps -> {
            ps.setString(1, reason);
            ps.setLong(2, id);
            ps.setString(3, worker);
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String sql, Binder binder) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static Optional<ImportJob> one(PreparedStatement ps) throws SQLException {
        List<ImportJob> jobs = all(ps);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    private static List<ImportJob> all(PreparedStatement ps) throws SQLException {
        List<ImportJob> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ImportJob(rs.getLong(1), rs.getString(2), rs.getString(3), ImportJob.State.of(rs.getString(4)),
                        rs.getString(5), rs.getInt(6), instant(rs.getTimestamp(7)), (Integer) rs.getObject(8), rs.getInt(9),
                        rs.getInt(10), rs.getString(11), instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)),
                        instant(rs.getTimestamp(14))));
            }
        }
        return out;
    }

    private static java.time.Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
