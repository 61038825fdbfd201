package nl.beeldbrug.bench.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/** A JDBC connection to the PostgreSQL running on a data directory (the gateway's embedded one): port from postmaster.pid. */
final class PostgresOfDataDir {

    private PostgresOfDataDir() {
    }

    static Connection connect(Path dataDir) throws SQLException {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
        } catch (IOException e) {
            throw new UncheckedIOException("no PostgreSQL running on " + dataDir, e);
        }
        String port = lines.get(3).trim();
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", "postgres", "");
    }
}
