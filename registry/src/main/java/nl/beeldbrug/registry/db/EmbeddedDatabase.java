package nl.beeldbrug.registry.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The zero-config database: a real PostgreSQL server (the production engine) started as a child
 * process on loopback, with its data in a local directory that survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on a free loopback port with its cluster in {@code dataDirectory} (created
     * when missing, reused when present). A server left running by a process that was killed is
     * stopped first. Commits are not durable and the server stops with the JVM: for tests and tools;
     * the gateway uses {@link #start(Path, boolean)}.
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, true, false);
    }

    /**
     * As {@link #start(Path)}; with {@code stopOnJvmExit} false the caller alone stops the server
     * (an application that must close its connection pool and write its last audit records first).
     * Commits are durable ({@code synchronous_commit=on}): a registration or audit record that was
     * acknowledged survives a crash of PostgreSQL or of the machine.
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean stopOnJvmExit) {
        return start(dataDirectory, stopOnJvmExit, true);
    }

    /**
     * As {@link #start(Path, boolean)}. With {@code durableCommits} false, PostgreSQL acknowledges a
     * commit before its WAL reaches the disk ({@code synchronous_commit=off}, the embedded library's own
     * default): the last fraction of a second of commits can be lost in a crash, the database stays
     * consistent. Only for tests and throw-away benchmark loads.
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean stopOnJvmExit, boolean durableCommits) {
        try {
            Files.createDirectories(dataDirectory);
            StaleServer.stopIfRunning(dataDirectory);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(stopOnJvmExit)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("synchronous_commit", durableCommits ? "on" : "off")
                    .start();
            log.info("Embedded PostgreSQL started on localhost:{} with data in {}", postgres.getPort(), dataDirectory);
            return new EmbeddedDatabase(postgres, dataDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public String user() {
        return "postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** An unpooled data source (for tests and tools); the gateway pools its own. */
    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
