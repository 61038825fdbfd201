package nl.beeldbrug.peer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Creates the peer's database in the shared PostgreSQL server when it is missing (connecting to {@code postgres} first). */
final class PeerDatabase {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(\\?.*)?");

    private PeerDatabase() {
    }

    /** @return true when the database was created now (empty), false when it existed. */
    static boolean ensureExists(PeerSettings settings) throws SQLException {
        Matcher m = URL.matcher(settings.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected jdbc:postgresql://host:port/database[?…], got " + settings.jdbcUrl());
        }
        String database = m.group(2);
        String admin = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        try (Connection c = DriverManager.getConnection(admin, settings.user(), settings.password())) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, database);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE \"" + database + "\" ENCODING 'UTF8'");
            }
            return true;
        }
    }
}
