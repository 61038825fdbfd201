package nl.beeldbrug.adapters.dicom.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Third-party peers (Debian packages) for interoperability tests; missing packages fail loudly. Every peer runs
 * with TCP_NODELAY=1, which makes dcmtk (and Orthanc's dcmtk-based DICOM layer) disable Nagle's algorithm;
 * without it each of their request/response round trips waits ~40 ms for a delayed ACK.
 */
public final class Peers {
    public static final Path PYDICOM_FILES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    public static final Path PYDICOM_CHARSETS = Path.of("/usr/lib/python3/dist-packages/pydicom/data/charset_files");

    private Peers() {
    }

    /** Fails with the Debian package to install when {@code tool} is not on the PATH. */
    public static String require(String tool, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        Path sbin = Path.of("/usr/sbin", tool);
        if (Files.isExecutable(sbin)) {
            return sbin.toString();
        }
        throw new AssertionError("'" + tool + "' not found: install the Debian package '" + debianPackage
                + "' (apt-get install -y --no-install-recommends " + debianPackage + ")");
    }

    public static Path sample(String name) {
        Path p = PYDICOM_FILES.resolve(name);
        if (!Files.isRegularFile(p)) {
            p = PYDICOM_CHARSETS.resolve(name);
        }
        if (!Files.isRegularFile(p)) {
            throw new AssertionError("sample " + name + " not found: install the Debian package 'python3-pydicom'");
        }
        return p;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs a command to completion (2 minute bound) and returns stdout; fails on a non-zero exit. */
    public static String run(String... command) {
        Result r = runAllowingFailure(command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    public record Result(int exitCode, String output) {
    }

    public static Result runAllowingFailure(String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("TCP_NODELAY", "1");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timeout: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts a long-running peer with output to {@code log}. */
    public static Process start(Path log, String... command) {
        try {
            List<String> cmd = new ArrayList<>(List.of(command));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("TCP_NODELAY", "1");
            return pb.start();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** dcmdump output reduced to tag, VR and value: comparable across transfer syntaxes and length encodings. */
    public static List<String> normalizedDump(Path file) {
        String dump = run(require("dcmdump", "dcmtk"), "-q", "+L", "+U8", file.toString());
        List<String> lines = new ArrayList<>();
        for (String line : dump.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("(0002,") || t.contains("Delimitation")
                    || t.startsWith("(fffe,e0dd)") || t.startsWith("(fffe,e00d)")) {
                continue;
            }
            int hash = t.lastIndexOf(" #");
            if (hash > 0) {
                t = t.substring(0, hash).strip();
            }
            t = t.replaceAll("\\((Sequence|Item) with (explicit|undefined) length #=(\\d+)\\)", "($1 #=$3)");
            lines.add(t);
        }
        return lines;
    }
}
