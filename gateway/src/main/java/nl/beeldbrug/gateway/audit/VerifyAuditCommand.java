package nl.beeldbrug.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.ChainVerification;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.db.EmbeddedDatabase;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's check of the audit trail's hash chain, without starting the gateway:
 * {@code java -jar beeldbrug-gateway.jar --beeldbrug.audit.verify} (or {@code bin/verify-audit}). Prints {@code OK}
 * and the number of records, or {@code TAMPERED} with the first broken record's id and what is wrong with it.
 * Exit code 0 intact, 1 tampered, 2 could not check.
 * <ul>
 *   <li>a stopped installation on the embedded PostgreSQL: {@code --beeldbrug.db.embedded-data-dir} (default
 *       {@code data/postgres}); refused while a server runs on that directory (the gateway is up: use the next form);</li>
 *   <li>a running installation: {@code --beeldbrug.audit.verify=http://host:8081} asks its
 *       {@code /actuator/audittrail} (management port);</li>
 *   <li>an external PostgreSQL, running gateway or not: {@code --beeldbrug.db.url=jdbc:postgresql://...},
 *       {@code --beeldbrug.db.user}, {@code --beeldbrug.db.password} (or BEELDBRUG_DB_URL/_USER/_PASSWORD).</li>
 * </ul>
 * The schema is brought up to date first (as the gateway does at start), so a trail written by an older version
 * can be checked.
 */
public final class VerifyAuditCommand {

    public static final String FLAG = "--beeldbrug.audit.verify";

    private VerifyAuditCommand() {
    }

    /** True when the command line asks for this command rather than the gateway. */
    public static boolean requested(String[] args) {
        return List.of(args).stream().anyMatch(a -> a.equals(FLAG) || a.startsWith(FLAG + "="));
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out));
    }

    /** Runs the check; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, PrintStream out) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        try {
            String endpoint = options.get("beeldbrug.audit.verify");
            if (endpoint != null && endpoint.startsWith("http")) {
                return viaEndpoint(endpoint, out);
            }
            String url = options.getOrDefault("beeldbrug.db.url", env.get("BEELDBRUG_DB_URL"));
            if (url != null && !url.isBlank()) {
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(url);
                config.setUsername(options.getOrDefault("beeldbrug.db.user", env.getOrDefault("BEELDBRUG_DB_USER", "postgres")));
                config.setPassword(options.getOrDefault("beeldbrug.db.password", env.get("BEELDBRUG_DB_PASSWORD")));
                config.setMaximumPoolSize(1);
                try (HikariDataSource dataSource = new HikariDataSource(config)) {
                    return verify(dataSource, out);
                }
            }
            Path directory = Path.of(options.getOrDefault("beeldbrug.db.embedded-data-dir",
                    env.getOrDefault("BEELDBRUG_DB_EMBEDDED_DATA_DIR", "data/postgres"))).toAbsolutePath();
            if (!Files.isDirectory(directory)) {
                out.println("ERROR no embedded database at " + directory);
                return 2;
            }
            if (serverRunningOn(directory)) {
                out.println("ERROR a server is running on " + directory + " (the gateway is up): use " + FLAG
                        + "=http://<host>:<management port>");
                return 2;
            }
            try (EmbeddedDatabase database = EmbeddedDatabase.start(directory, true, true)) {
                return verify(database.dataSource(), out);
            }
        } catch (RuntimeException | java.io.IOException e) {
            out.println("ERROR cannot check the audit trail: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("ERROR interrupted");
            return 2;
        }
    }

    /** Verifies the chain in {@code dataSource}; returns the exit code. */
    public static int verify(DataSource dataSource, PrintStream out) {
        Database.migrate(dataSource);
        ChainVerification result = new AuditStore(dataSource).verifyChain();
        return report(result.intact(), result.recordsChecked(), result.firstBrokenId(), result.problem(), out);
    }

    private static int viaEndpoint(String base, PrintStream out) throws java.io.IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(
                HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + "/actuator/audittrail"))
                        .timeout(Duration.ofMinutes(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            out.println("ERROR " + base + "/actuator/audittrail answered " + response.statusCode());
            return 2;
        }
        JsonNode chain = new ObjectMapper().readTree(response.body()).path("chain");
        return report(chain.path("intact").asBoolean(false), chain.path("recordsChecked").asLong(),
                chain.hasNonNull("firstBrokenId") ? chain.path("firstBrokenId").asLong() : null,
                chain.path("problem").asText(null), out);
    }

    private static int report(boolean intact, long checked, Long firstBroken, String problem, PrintStream out) {
        if (intact) {
            out.println("OK audit trail intact, " + checked + " records");
            return 0;
        }
        out.println("TAMPERED first broken record id " + firstBroken + ": " + problem + " (" + checked + " records read)");
        return 1;
    }

    /** True when postmaster.pid names a live process (starting the embedded server would stop it). */
    static boolean serverRunningOn(Path directory) throws java.io.IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return false;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || !lines.get(0).trim().matches("[0-9]+")) {
            return false;
        }
        return ProcessHandle.of(Long.parseLong(lines.get(0).trim())).map(ProcessHandle::isAlive).orElse(false);
    }
}
