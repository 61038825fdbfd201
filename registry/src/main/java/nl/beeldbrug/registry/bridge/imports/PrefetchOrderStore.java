package nl.beeldbrug.registry.bridge.imports;

import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The orders prefetch has taken (tables {@code prefetch_order}, {@code prefetch_job}, V12). An order is taken once
 * per hospital and placer order number: {@link #take} inserts its row and says whether this caller was first — two
 * callers at the same time are ordered by the primary key, the second waits for the first's commit and loses. An
 * order whose processing failed is {@link #release}d so that the hospital's retry is taken again.
 */
public final class PrefetchOrderStore {

    /** An import job of a prefetch order that ended: done or failed, when, and when the exam is planned. */
    public record Ended(long importJobId, ImportJob.State state, Instant finishedAt, Instant plannedAt) {
    }

    private final DataSource dataSource;

    public PrefetchOrderStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** True when this call took the order; false when it was taken before (a repeated order). */
    public boolean take(String source, String placerOrder, Instant plannedAt) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into prefetch_order (source, placer_order, planned_at)"
                    + " values (?, ?, ?) on conflict (source, placer_order) do nothing")) {
                ps.setString(1, source);
                ps.setString(2, placerOrder);
                ps.setTimestamp(3, Timestamp.from(plannedAt));
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Forgets an order (and its job links) whose processing failed. */
    public void release(String source, String placerOrder) {
        Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from prefetch_order where source = ? and placer_order = ?")) {
                ps.setString(1, source);
                ps.setString(2, placerOrder);
                return ps.executeUpdate();
            }
        });
    }

    /** Links the import jobs an order started to it. */
    public void jobs(String source, String placerOrder, List<Long> importJobIds) {
        if (importJobIds.isEmpty()) {
            return;
        }
        Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into prefetch_job (source, placer_order, import_job_id)"
                    + " values (?, ?, ?) on conflict do nothing")) {
                for (long id : importJobIds) {
                    ps.setString(1, source);
                    ps.setString(2, placerOrder);
                    ps.setLong(3, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The import job ids an order started. */
    public List<Long> jobsOf(String source, String placerOrder) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select import_job_id from prefetch_job where source = ?"
                    + " and placer_order = ? order by import_job_id")) {
                ps.setString(1, source);
                ps.setString(2, placerOrder);
                List<Long> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * The prefetch jobs that ended since the last call, each returned once (also across processes: the row is
     * marked in the same statement, and a concurrent caller re-checks the mark after waiting for the row lock).
     */
    public List<Ended> ended() {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("update prefetch_job p set measured_at = now()"
                    + " from import_job j, prefetch_order o where p.measured_at is null and j.id = p.import_job_id"
                    + " and j.state in ('done', 'failed') and o.source = p.source and o.placer_order = p.placer_order"
                    + " returning j.id, j.state, j.finished_at, o.planned_at")) {
                List<Ended> ended = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp finished = rs.getTimestamp(3);
                        ended.add(new Ended(rs.getLong(1), ImportJob.State.of(rs.getString(2)),
                                finished == null ? null : finished.toInstant(), rs.getTimestamp(4).toInstant()));
                    }
                }
                return ended;
            }
        });
    }
}
