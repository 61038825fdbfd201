package nl.beeldbrug.registry.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one embedded PostgreSQL of a test JVM, migrated once, with helpers to empty it between tests
 * and to look at what a test stored. Obtain it through {@link RegistryDatabaseExtension}.
 */
public final class TestDatabase implements AutoCloseable {

    private final EmbeddedDatabase server;
    private final Path dataDirectory;
    private final HikariDataSource dataSource;
    private final List<String> cleanStatements;

    private TestDatabase(EmbeddedDatabase server, Path dataDirectory) {
        this.server = server;
        this.dataDirectory = dataDirectory;
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(server.jdbcUrl());
        pool.setUsername(server.user());
        pool.setMaximumPoolSize(8);
        pool.setPoolName("registry-tests");
        this.dataSource = new HikariDataSource(pool);
        relaxDurability(dataSource);
        Database.migrate(dataSource);
        // DELETE is much cheaper than TRUNCATE on tables holding a few rows; replica mode skips
        // foreign-key triggers so the order of the tables does not matter
        List<String> statements = new ArrayList<>();
        statements.add("set local session_replication_role = replica");
        applicationTables().forEach(t -> statements.add("delete from " + t));
        this.cleanStatements = List.copyOf(statements);
    }

    /**
     * A throw-away cluster needs no crash safety: without fsync and synchronous commit every test's
     * commits and truncations cost microseconds instead of a disk flush.
     */
    private static void relaxDurability(DataSource dataSource) {
        Database.read(dataSource, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("alter system set fsync = off");
                s.execute("alter system set synchronous_commit = off");
                s.execute("alter system set full_page_writes = off");
                s.execute("select pg_reload_conf()");
            }
            return null;
        });
    }

    /** Starts PostgreSQL in a fresh temporary directory and applies the migrations. */
    static TestDatabase start() {
        try {
            Path directory = Files.createTempDirectory("beeldbrug-registry-test-pg");
            return new TestDatabase(EmbeddedDatabase.start(directory), directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the test database", e);
        }
    }

    /** Connections to the test database (reused between calls: closing one returns it). */
    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return server.jdbcUrl();
    }

    /** Empties every table the migrations created (the migration history stays); about a millisecond. */
    public void clean() {
        Database.inTransaction(dataSource, c -> {
            try (Statement s = c.createStatement()) {
                for (String statement : cleanStatements) {
                    s.execute(statement);
                }
            }
            return null;
        });
    }

    /** Registers a patient in the affinity domain (the identity feed of the tests). */
    public void addPatient(Bsn bsn) {
        Database.inTransaction(dataSource, c -> new PatientIndex().add(c, bsn));
    }

    /** Number of rows in a table (the name is a test constant, never input). */
    public long count(String table) {
        return Database.read(dataSource, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** A single value from a query with string parameters, or null when there is no row. */
    public String queryForString(String sql, String... parameters) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    ps.setString(i + 1, parameters[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** Row counts of the XDS tables, for before/after comparisons. */
    public RowCounts rowCounts() {
        return Database.read(dataSource, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select (select count(*) from registry_object), (select count(*) from association),"
                            + " (select count(*) from document_content)")) {
                rs.next();
                return new RowCounts(rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        });
    }

    public record RowCounts(long registryObjects, long associations, long documentContents) {
    }

    private List<String> applicationTables() {
        return Database.read(dataSource, c -> tables(c));
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select quote_ident(tablename) from pg_tables where schemaname = current_schema()"
                        + " and tablename <> 'flyway_schema_history' order by tablename");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        if (tables.isEmpty()) {
            throw new IllegalStateException("the migrations created no tables");
        }
        return tables;
    }

    @Override
    public void close() {
        try {
            dataSource.close();
            server.close();
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless; the database itself is stopped
        }
    }
}
