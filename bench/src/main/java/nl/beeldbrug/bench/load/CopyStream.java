package nl.beeldbrug.bench.load;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One table's bulk load in one transaction on its own connection: drop the table's secondary
 * indexes (their definitions are read from the catalogue first, so they come back exactly as the
 * migrations define them), COPY the rows handed in through a bounded queue, recreate the indexes,
 * commit. Primary keys stay in place throughout, so a duplicate key fails the load.
 */
final class CopyStream implements Runnable {

    private static final byte[] END = new byte[0];

    private final Connection connection;
    private final String table;
    private final String columns;
    private final BooleanSupplier aborted;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(32);
    private volatile long rows;
    private volatile String phase = "waiting";

    CopyStream(Connection connection, String table, String columns, BooleanSupplier aborted) {
        this.connection = connection;
        this.table = table;
        this.columns = columns;
        this.aborted = aborted;
    }

    String table() {
        return table;
    }

    String phase() {
        return phase;
    }

    long rows() {
        return rows;
    }

    /** Hands over a chunk of COPY text (whole rows); blocks while the server is behind. */
    void offer(byte[] chunk) throws InterruptedException {
        while (!chunks.offer(chunk, 200, TimeUnit.MILLISECONDS)) {
            if (aborted.getAsBoolean()) {
                throw new InterruptedException("load aborted");
            }
        }
    }

    /** No more rows. */
    void finish() throws InterruptedException {
        offer(END);
    }

    @Override
    public void run() {
        try {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                s.execute("set maintenance_work_mem = '256MB'");
            }
            List<Index> indexes = secondaryIndexes();
            try (Statement s = connection.createStatement()) {
                for (Index index : indexes) {
                    s.execute("drop index " + index.name());
                }
            }
            phase = "copy";
            CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + columns + ") FROM STDIN");
            try {
                while (true) {
                    byte[] chunk = chunks.poll(200, TimeUnit.MILLISECONDS);
                    if (chunk == END) {
                        break;
                    }
                    if (chunk == null) {
                        if (aborted.getAsBoolean()) {
                            throw new IllegalStateException("load aborted");
                        }
                        continue;
                    }
                    copy.writeToCopy(chunk, 0, chunk.length);
                }
                rows = copy.endCopy();
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
            phase = "index";
            try (Statement s = connection.createStatement()) {
                for (Index index : indexes) {
                    s.execute(index.ddl());
                }
            }
            phase = "commit";
            connection.commit();
            phase = "done";
        } catch (SQLException | InterruptedException | RuntimeException e) {
            phase = "failed";
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the connection is closed by the caller; the transaction dies with it
            }
            throw new IllegalStateException("loading " + table + " failed: " + e.getMessage(), e);
        }
    }

    private record Index(String name, String ddl) {
    }

    private List<Index> secondaryIndexes() throws SQLException {
        List<Index> result = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(SECONDARY_INDEXES)) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(new Index("public." + rs.getString(1), rs.getString(2)));
                }
            }
        }
        return result;
    }

    /** Indexes of a public table that no constraint (primary key, unique) owns. */
    private static final String SECONDARY_INDEXES = "select i.indexname, i.indexdef from pg_indexes i where i.schemaname = 'public'"
            + " and i.tablename = ? and not exists (select 1 from pg_constraint c where c.conname = i.indexname)"
            + " order by i.indexname";
}
