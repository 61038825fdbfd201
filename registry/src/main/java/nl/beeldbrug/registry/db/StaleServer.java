package nl.beeldbrug.registry.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL server whose parent JVM was killed (kill -9) keeps running and holds its data
 * directory. Before the embedded server starts again, stop it with SIGTERM (a "smart" shutdown)
 * and, after a grace period, SIGQUIT.
 */
final class StaleServer {

    private static final Logger log = LoggerFactory.getLogger(StaleServer.class);

    private StaleServer() {
    }

    static void stopIfRunning(Path dataDirectory) throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !isPostgres(process.get())) {
            return;
        }
        log.warn("Stopping a PostgreSQL server (pid {}) left running on {}", pid, dataDirectory);
        signal(pid, "TERM");
        if (!waitForExit(process.get(), Duration.ofSeconds(15))) {
            signal(pid, "QUIT");
            waitForExit(process.get(), Duration.ofSeconds(15));
        }
    }

    private static boolean isPostgres(ProcessHandle handle) {
        return handle.info().command().map(c -> c.contains("postgres")).orElse(false);
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitForExit(ProcessHandle handle, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (handle.isAlive() && Instant.now().isBefore(deadline)) {
            try {
                handle.onExit().get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException ignored) {
                // poll again until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                return !handle.isAlive();
            }
        }
        return !handle.isAlive();
    }
}
