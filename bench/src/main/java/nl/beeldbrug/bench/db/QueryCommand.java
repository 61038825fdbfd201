package nl.beeldbrug.bench.db;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.Callable;

/**
 * {@code query}: runs one read-only SQL statement on a running PostgreSQL and prints the first column of each row (the
 * benchmark scripts ask for database sizes and row counts; the embedded PostgreSQL ships no psql).
 */
@Command(name = "query", mixinStandardHelpOptions = true, description = "Print the first column of a read-only SQL query's rows.")
public final class QueryCommand implements Callable<Integer> {

    @Option(names = "--jdbc-url", required = true)
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "postgres")
    String user;

    @Option(names = "--password", defaultValue = "")
    String password;

    @Parameters(index = "0", description = "The query, e.g. \"select pg_database_size(current_database())\".")
    String sql;

    @Override
    public Integer call() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    System.out.println(rs.getString(1));
                }
            }
        }
        return 0;
    }
}
