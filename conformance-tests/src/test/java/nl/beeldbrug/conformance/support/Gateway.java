package nl.beeldbrug.conformance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway jar, run as a child process on loopback ports of its own. Only the wire is used:
 * SOAP on {@link #port()}, actuator on {@link #managementPort()}. A JVM shutdown hook kills the process
 * and everything it started (the embedded PostgreSQL), so nothing survives a failed or aborted run.
 */
public final class Gateway implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final int managementPort;
    private final Map<String, String> options;
    private Process process;
    private final Thread shutdownHook;
    private final List<ProcessHandle> children = new ArrayList<>();

    private Gateway(Path workDir, Map<String, String> options) {
        this(workDir, options, freePort(), freePort());
    }

    private Gateway(Path workDir, Map<String, String> options, int port, int managementPort) {
        this.dataDir = workDir.resolve("data");
        this.log = workDir.resolve("gateway.log");
        this.port = port;
        this.managementPort = managementPort;
        this.options = options;
        this.shutdownHook = new Thread(this::killQuietly, "kill-gateway-" + workDir.getFileName());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The jar under test, from the system property {@code beeldbrug.jar}; fails clearly when it is missing. */
    public static Path jar() {
        String property = System.getProperty("beeldbrug.jar");
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("System property beeldbrug.jar is not set: run the tests with Maven "
                    + "(mvn -pl conformance-tests verify) or pass -Dbeeldbrug.jar=<path to beeldbrug-gateway.jar>");
        }
        Path jar = Path.of(property).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The gateway jar " + jar + " does not exist. Build it first: "
                    + "mvn -B -pl registry,gateway -am package -Dmaven.test.skip=true");
        }
        return jar;
    }

    private static Path copy;

    /**
     * A private copy of the jar, made once per test run: a rebuild of gateway/target while the tests run
     * must not pull classes away from under a running gateway.
     */
    static synchronized Path jarCopy() {
        if (copy == null) {
            Path base = Path.of(System.getProperty("beeldbrug.work", "target/conformance")).toAbsolutePath();
            try {
                Files.createDirectories(base);
                Path target = base.resolve("beeldbrug-gateway-under-test.jar");
                Files.copy(jar(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                copy = target;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy the gateway jar", e);
            }
        }
        return copy;
    }

    /** A work directory under target/ (system property {@code beeldbrug.work}), fresh for this name. */
    public static Path workDir(String name) {
        Path base = Path.of(System.getProperty("beeldbrug.work", "target/conformance"));
        Path dir = base.resolve(name + "-" + System.currentTimeMillis());
        try {
            return Files.createDirectories(dir).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the jar in {@code workDir} (its PostgreSQL data under {@code workDir/data}) with the given
     * Spring properties and waits until it reports readiness.
     */
    public static Gateway start(Path workDir, Map<String, String> options) {
        Gateway gateway = new Gateway(workDir, new LinkedHashMap<>(options));
        gateway.launch();
        return gateway;
    }

    /**
     * For developing the tests only: a gateway someone already runs (with the options of the caller), used
     * as it is and never stopped. Enabled by {@code -Dbeeldbrug.attach=<port>:<management port>}.
     */
    public static Gateway attach(String ports) {
        String[] parts = ports.split(":");
        Gateway gateway = new Gateway(workDir("attached"), Map.of(), Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        if (!gateway.isReady()) {
            throw new IllegalStateException("no ready gateway at " + ports);
        }
        return gateway;
    }

    /** Starts the stopped (or killed) gateway again on the same data directory and ports. */
    public void restart() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the gateway is still running");
        }
        launch();
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx768m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jarCopy().toString());
        command.add("--server.address=127.0.0.1");
        command.add("--server.port=" + port);
        command.add("--management.server.address=127.0.0.1");
        command.add("--management.server.port=" + managementPort);
        command.add("--beeldbrug.db.embedded-data-dir=" + dataDir);
        options.forEach((k, v) -> command.add("--" + k + "=" + v));
        try {
            Files.writeString(log, "=== " + String.join(" ", command) + System.lineSeparator(), StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .directory(log.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            await("gateway readiness on port " + managementPort)
                    .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the gateway exited with " + process.exitValue()
                                    + " during start-up; log " + log + ":\n" + logTail());
                        }
                        return isReady();
                    });
        } catch (RuntimeException e) {
            killQuietly();
            throw new IllegalStateException("the gateway did not become ready; log " + log + ":\n" + logTail(), e);
        }
        rememberChildren();
    }

    private void rememberChildren() {
        process.descendants().forEach(children::add);
        children.addAll(postgres());
    }

    /**
     * The embedded PostgreSQL serving this gateway's data directory (the postmaster named in
     * {@code postmaster.pid}, and its backends), if one runs. It is not a child of the JVM: pg_ctl
     * detaches it, so it outlives a gateway killed with -9.
     */
    public List<ProcessHandle> postgres() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return List.of();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return List.of();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                    .map(p -> {
                        List<ProcessHandle> all = new ArrayList<>();
                        all.add(p);
                        p.descendants().forEach(all::add);
                        return all;
                    })
                    .orElse(List.of());
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public Path logFile() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process == null ? isReady() : process.isAlive();
    }

    /** The processes the gateway started (its PostgreSQL among them), as seen when it became ready. */
    public List<ProcessHandle> children() {
        return List.copyOf(children);
    }

    /** A SOAP endpoint URL, e.g. {@code endpoint("registry/iti18")}. */
    /** {@code http://127.0.0.1:<port>}: the service port's base (FHIR is at {@code /fhir}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String endpoint(String path) {
        return "http://127.0.0.1:" + port + "/services/" + path;
    }

    /** The IPF producer URI of a transaction, e.g. {@code producer("xds-iti18", "registry/iti18")}. */
    public String producer(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port + "/services/" + path + "?audit=false";
    }

    /** {@code /actuator/health/readiness} answers 200 with status UP. */
    public boolean isReady() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The Prometheus scrape of the management port. */
    public String prometheus() {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("prometheus scrape answered " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The registry's object counts from the Prometheus gauges (documents, submission sets, folders per
     * status, associations, repository documents). The gauges are refreshed at most every 10 seconds.
     */
    public Counts counts() {
        String text = prometheus();
        Map<String, Double> values = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(beeldbrug_(?:registry|repository)_\\w+)(\\{[^}]*})? ([0-9.eE+-]+|NaN)$").matcher(text);
        while (m.find()) {
            values.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
        if (values.isEmpty()) {
            throw new IllegalStateException("no beeldbrug_* gauges in the Prometheus scrape");
        }
        return new Counts(values);
    }

    /** Gauge values by series name (name plus labels). */
    public record Counts(Map<String, Double> series) {
        public double total() {
            return series.entrySet().stream().filter(e -> !e.getKey().contains("repository"))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        public double repositoryDocuments() {
            return series.entrySet().stream().filter(e -> e.getKey().startsWith("beeldbrug_repository_documents"))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }

    /** SIGTERM, then wait for the process (and its PostgreSQL) to end. */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gateway did not stop within " + STOP_TIMEOUT + " after SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    /** kill -9: the JVM gets no chance to stop its PostgreSQL, which is left running. */
    public void kill() {
        children.clear();
        rememberChildren();
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the gateway's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private void killQuietly() {
        List<ProcessHandle> all = new ArrayList<>(children);
        all.addAll(postgres());
        if (process != null) {
            process.descendants().forEach(all::add);
            process.destroyForcibly();
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            try {
                stop();
            } catch (RuntimeException e) {
                // fall through to the hard kill
            }
        }
        killQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }

    /** A free TCP port on loopback. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
