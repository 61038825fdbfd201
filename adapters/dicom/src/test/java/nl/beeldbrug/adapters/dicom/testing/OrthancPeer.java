package nl.beeldbrug.adapters.dicom.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An Orthanc 1.10 instance on free loopback ports with its own storage, started and stopped by a test. */
public final class OrthancPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final int dicomPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path log;

    private OrthancPeer(Process process, int dicomPort, int httpPort, Path log) {
        this.log = log;
        this.process = process;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
    }

    /** @param modalities name to [AET, host, port] entries Orthanc may talk to */
    public static OrthancPeer start(Path dir, Map<String, Object[]> modalities, boolean dicomWeb, List<String> extra)
            throws IOException {
        String orthanc = Peers.require("Orthanc", "orthanc");
        Files.createDirectories(dir);
        int dicomPort = Peers.freePort();
        int httpPort = Peers.freePort();
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("Name", "beeldbrug-test");
        cfg.put("StorageDirectory", dir.resolve("storage").toString());
        cfg.put("IndexDirectory", dir.resolve("index").toString());
        cfg.put("DicomAet", "ORTHANC");
        cfg.put("DicomPort", dicomPort);
        cfg.put("HttpPort", httpPort);
        cfg.put("RemoteAccessAllowed", false);
        cfg.put("AuthenticationEnabled", false);
        cfg.put("DicomCheckCalledAet", false);
        cfg.put("DicomAlwaysAllowEcho", true);
        cfg.put("DicomAlwaysAllowStore", true);
        cfg.put("DicomAlwaysAllowFind", true);
        cfg.put("DicomAlwaysAllowMove", true);
        cfg.put("DicomAlwaysAllowGet", true);
        cfg.put("StableAge", 1);
        cfg.put("DicomModalities", modalities);
        cfg.put("HttpsVerifyPeers", false);
        cfg.put("KeepAlive", false); // Orthanc closes idle keep-alive connections after 1 s, racing the client's reuse
        if (dicomWeb) {
            String plugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";
            if (!Files.exists(Path.of(plugin))) {
                throw new AssertionError(plugin + " missing: install the Debian package 'orthanc-dicomweb'");
            }
            cfg.put("Plugins", List.of(plugin));
            cfg.put("DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/", "EnableWado", true));
        } else {
            cfg.put("Plugins", List.of());
        }
        Path config = dir.resolve("orthanc.json");
        Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
        Process p = Peers.start(dir.resolve("orthanc.log"), orthanc, config.toString());
        OrthancPeer peer = new OrthancPeer(p, dicomPort, httpPort, dir.resolve("orthanc.log"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("Orthanc exited:\n" + Files.readString(dir.resolve("orthanc.log")));
            }
            try {
                return peer.get("/system").has("Version");
            } catch (IOException e) {
                return false;
            }
        });
        return peer;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    public JsonNode post(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public JsonNode put(String path, String json) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public JsonNode upload(Path file) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/instances"))
                .header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofFile(file)));
    }

    public byte[] download(String path) throws IOException {
        try {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET()
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("HTTP " + r.statusCode() + " for " + path);
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private JsonNode send(HttpRequest.Builder b) throws IOException {
        HttpRequest request = b.timeout(Duration.ofSeconds(60)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    throw new IOException("HTTP " + r.statusCode() + ": " + r.body());
                }
                return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } catch (IOException e) {
                // a kept-alive connection that Orthanc already closed gives "received no bytes": retry once
                if (attempt == 1 && process.isAlive() && String.valueOf(e.getMessage()).contains("no bytes")) {
                    continue;
                }
                throw new IOException(e.getMessage() + (process.isAlive() ? "" : " (Orthanc exited)")
                        + "\n--- orthanc.log (tail) ---\n" + tail(), e);
            }
        }
    }

    private String tail() {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 3000));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
