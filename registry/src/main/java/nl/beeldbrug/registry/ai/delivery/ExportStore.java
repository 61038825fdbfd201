package nl.beeldbrug.registry.ai.delivery;

import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Bulk exports of a cohort to its AI platform (migration V14): one row per export and one per study in cohort order.
 * Claimed by a worker like import jobs ({@code FOR UPDATE SKIP LOCKED}, a lease the worker renews; a dead worker's
 * export is taken over once its lease ran out and resumes at the first study still pending). Every write after the
 * claim names the worker and does nothing once another worker has taken the export over.
 */
public final class ExportStore {

    private static final String EXPORT = "id, cohort_id, platform, state, reason, created_at, finished_at";
    private static final String STUDY = "export_id, position, study_uid, pseudo_study_uid, bsn, holder, state, file_name,"
            + " size, sha256, files";

    /** An export. */
    public record Export(UUID id, UUID cohortId, Ura platform, String state, String reason, Instant created,
                         Instant finished) {
    }

    /** A study to export: the cohort member. */
    public record NewStudy(String studyUid, String pseudoStudyUid, String bsn, String holderUra) {
    }

    /** One study of an export; state pending, written or withdrawn. */
    public record Study(UUID exportId, int position, String studyUid, String pseudoStudyUid, String bsn, String holderUra,
                        String state, String fileName, Long size, String sha256, String filesJson) {
        public boolean written() {
            return "written".equals(state);
        }

        public boolean withdrawn() {
            return "withdrawn".equals(state);
        }
    }

    private final DataSource dataSource;

    public ExportStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new queued export of these studies, in this order. */
    public Export create(UUID cohortId, Ura platform, List<NewStudy> studies) {
        UUID id = UUID.randomUUID();
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into ai_export (id, cohort_id, platform, state)"
                    + " values (?, ?, ?, 'queued')")) {
                ps.setObject(1, id);
                ps.setObject(2, cohortId);
                ps.setString(3, platform.value());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("insert into ai_export_study (export_id, position, study_uid,"
                    + " pseudo_study_uid, bsn, holder) values (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (NewStudy s : studies) {
                    ps.setObject(1, id);
                    ps.setInt(2, position++);
                    ps.setString(3, s.studyUid());
                    ps.setString(4, s.pseudoStudyUid());
                    ps.setString(5, s.bsn());
                    ps.setString(6, s.holderUra());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("select " + EXPORT + " from ai_export where id = ?")) {
                ps.setObject(1, id);
                return one(ps).orElseThrow();
            }
        });
    }

    public Optional<Export> export(UUID id) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + EXPORT + " from ai_export where id = ?")) {
                ps.setObject(1, id);
                return one(ps);
            }
        });
    }

    /** Every study of the export in order, withdrawn ones included. */
    public List<Study> studies(UUID exportId) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + STUDY + " from ai_export_study where export_id = ?"
                    + " order by position")) {
                ps.setObject(1, exportId);
                List<Study> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Study(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                                rs.getObject(9) == null ? null : rs.getLong(9), rs.getString(10), rs.getString(11)));
                    }
                }
                return out;
            }
        });
    }

    /** Claims a queued export, or a running one whose worker's lease ran out. */
    public Optional<Export> claim(String worker, Duration lease) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("update ai_export set state = 'running', worker = ?,"
                    + " lease_until = now() + ? * interval '1 millisecond', updated_at = now() where id = (select id from"
                    + " ai_export where state = 'queued' or (state = 'running' and lease_until < now()) order by created_at"
                    + " for update skip locked limit 1) returning " + EXPORT)) {
                ps.setString(1, worker);
                ps.setLong(2, lease.toMillis());
                return one(ps);
            }
        });
    }

    /** Extends the lease; false when the export is no longer this worker's. */
    public boolean renew(UUID id, String worker, Duration lease) {
        return update("update ai_export set lease_until = now() + ? * interval '1 millisecond' where id = ? and worker = ?"
                + " and state = 'running'", ps -> {
            ps.setLong(1, lease.toMillis());
            ps.setObject(2, id);
            ps.setString(3, worker);
        });
    }

    /** Records a study's written file; false when the export is no longer this worker's or the study was withdrawn. */
    public boolean written(UUID id, String worker, int position, String fileName, long size, String sha256, String filesJson) {
        return update("update ai_export_study s set state = 'written', file_name = ?, size = ?, sha256 = ?, files = ?,"
                + " written_at = now() from ai_export e where e.id = s.export_id and s.export_id = ? and s.position = ?"
                + " and s.state = 'pending' and e.worker = ? and e.state = 'running'", ps -> {
            ps.setString(1, fileName);
            ps.setLong(2, size);
            ps.setString(3, sha256);
            ps.setString(4, filesJson);
            ps.setObject(5, id);
            ps.setInt(6, position);
            ps.setString(7, worker);
        });
    }

    /**
     * Withdraws every study of the patient from the export (consent no longer permits it); returns the studies that
     * had a file written, whose files the caller deletes.
     */
    public List<Study> withdraw(UUID exportId, String bsn) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("update ai_export_study n set state = 'withdrawn', files = null,"
                    + " size = null, sha256 = null from ai_export_study o where o.export_id = n.export_id"
                    + " and o.position = n.position and n.export_id = ? and n.bsn = ? and n.state <> 'withdrawn'"
                    + " returning o.export_id, o.position, o.study_uid, o.pseudo_study_uid, o.bsn, o.holder, o.state,"
                    + " o.file_name, o.size, o.sha256, o.files")) {
                ps.setObject(1, exportId);
                ps.setString(2, bsn);
                List<Study> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if ("written".equals(rs.getString(7))) {
                            out.add(new Study(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getString(4),
                                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
                                    rs.getString(10), rs.getString(11)));
                        }
                    }
                }
                return out;
            }
        });
    }

    /** Ends the export; false when it is no longer this worker's. */
    public boolean done(UUID id, String worker) {
        return update("update ai_export set state = 'done', reason = null, lease_until = null, updated_at = now(),"
                + " finished_at = now() where id = ? and worker = ? and state = 'running'", ps -> {
            ps.setObject(1, id);
            ps.setString(2, worker);
        });
    }

    /** Ends the export as failed; false when it is no longer this worker's. */
    public boolean fail(UUID id, String worker, String reason) {
        return update("update ai_export set state = 'failed', reason = ?, lease_until = null, updated_at = now(),"
                + " finished_at = now() where id = ? and worker = ? and state = 'running'", ps -> {
            ps.setString(1, reason);
            ps.setObject(2, id);
            ps.setString(3, worker);
        });
    }

    /** Gives a running export back (lease ended now), e.g. when a worker stops; another claim resumes it. */
    public boolean release(UUID id, String worker) {
        return update("update ai_export set lease_until = now() - interval '1 second', updated_at = now() where id = ?"
                + " and worker = ? and state = 'running'", ps -> {
            ps.setObject(1, id);
            ps.setString(2, worker);
        });
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean update(String sql, Binder binder) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static Optional<Export> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new Export(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), Ura.of(rs.getString(3)),
                    rs.getString(4), rs.getString(5), instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7))));
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
