package nl.beeldbrug.bench.peer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;

/**
 * {@code peer-size}: the bytes of one PostgreSQL database (all tables, indexes, TOAST: {@code pg_database_size}) and,
 * when it is a HAPI FHIR JPA database, its live ImagingStudy count; printed as {@code db_bytes=…} and
 * {@code studies=…} lines for bench/run-peer.sh.
 */
@Command(name = "peer-size", mixinStandardHelpOptions = true,
        description = "Prints db_bytes= (pg_database_size) and studies= (HAPI ImagingStudy rows) of a database.")
public final class PeerSizeCommand implements Callable<Integer> {

    @Option(names = "--jdbc-url", required = true, description = "e.g. jdbc:postgresql://127.0.0.1:5432/peer")
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "postgres")
    String user;

    @Option(names = "--password", defaultValue = "")
    String password;

    @Override
    public Integer call() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
                rs.next();
                System.out.println("db_bytes=" + rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM hfj_resource WHERE res_type = 'ImagingStudy' AND res_deleted_at IS NULL")) {
                rs.next();
                System.out.println("studies=" + rs.getLong(1));
            } catch (java.sql.SQLException e) {
                System.out.println("studies=");
            }
        }
        return 0;
    }
}
