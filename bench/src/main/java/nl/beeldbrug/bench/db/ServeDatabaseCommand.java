package nl.beeldbrug.bench.db;

import nl.beeldbrug.registry.db.EmbeddedDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code database}: starts the embedded PostgreSQL on a loaded corpus exactly as the gateway starts its own
 * (durable commits, {@code synchronous_commit=on}) and keeps it running until this process is stopped (SIGTERM stops
 * the server too), so that several gateways can share one database ({@code --beeldbrug.db.url}). Writes the JDBC URL
 * to {@code --url-file} once the server accepts connections.
 */
@Command(name = "database", mixinStandardHelpOptions = true,
        description = "Runs the embedded PostgreSQL of a corpus (durable commits) for gateways started with --beeldbrug.db.url.")
public final class ServeDatabaseCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, description = "Embedded PostgreSQL data directory of the loaded corpus.")
    Path dataDir;

    @Option(names = "--url-file", required = true, description = "Written with the JDBC URL when the server is up.")
    Path urlFile;

    @Override
    public Integer call() throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.toAbsolutePath(), true, true);
        Path tmp = urlFile.resolveSibling(urlFile.getFileName() + ".tmp");
        Files.writeString(tmp, db.jdbcUrl() + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, urlFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("database: " + db.jdbcUrl() + " (user " + db.user() + "), data in " + db.dataDirectory());
        new CountDownLatch(1).await();
        return 0;
    }
}
