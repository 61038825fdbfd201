package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged gateway as a process: an import of a study of {@value #INSTANCES} instances from the ZDC Orthanc into
 * the hospital Orthanc; the gateway is killed (SIGKILL) in the middle and started again on the same database; the
 * job is taken over when its lease runs out and completes — the hospital then holds exactly the source's
 * instances (no duplicates, nothing lost, pixel data equal).
 */
class ImportKillIT {

    private static final int INSTANCES = 300;
    private static final String ZDC_URA = "12000001"; // the author institution of docs/samples/iti41-provide-and-register.xml
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private BridgePeers peers;
    private Process gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroy();
            try {
                gateway.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (peers != null) {
            peers.close();
        }
        stopStalePostgres();
    }

    private Path dataDir;

    /** A gateway killed with SIGKILL leaves its embedded PostgreSQL running: stop that one (its pid file names it). */
    private void stopStalePostgres() {
        try {
            Path pid = dataDir == null ? null : dataDir.resolve("postmaster.pid");
            if (pid != null && Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readAllLines(pid).get(0).trim())).ifPresent(ProcessHandle::destroy);
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    @Test
    void killedMidImportCompletesWithoutDuplicatesOrLosses() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kill-");
        dataDir = dir.resolve("postgres");
        peers = new BridgePeers(dir.resolve("peers"));
        String studyUid = "2.25." + Long.toUnsignedString(System.nanoTime()) + "77";
        List<Path> files = largeStudy(dir.resolve("study"), studyUid);
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu", "dcmtk"), "-R", "-aec", "ORTHANC", "127.0.0.1",
                String.valueOf(peers.zdc.dicomPort()), "--scan-directories", dir.resolve("study").toString()));
        Peers.run(cmd.toArray(String[]::new));

        int port = Peers.freePort();
        int management = Peers.freePort();
        List<String> args = List.of("--server.port=" + port, "--management.server.port=" + management,
                "--beeldbrug.db.embedded-data-dir=" + dir.resolve("postgres"),
                "--beeldbrug.demo.studies=8", // two demo patients: 999990007 and 999990019
                "--beeldbrug.bridge.serve.spool-dir=" + dir.resolve("spool"),
                "--beeldbrug.bridge.serve.imports.lease=3s", "--beeldbrug.bridge.serve.imports.poll-interval=200ms",
                "--beeldbrug.bridge.serve.imports.batch-size=5",
                "--beeldbrug.bridge.sources[0].id=zdc", "--beeldbrug.bridge.sources[0].ura=" + ZDC_URA,
                "--beeldbrug.bridge.sources[0].name=ZDC", "--beeldbrug.bridge.sources[0].type=zdc",
                "--beeldbrug.bridge.sources[0].dicomweb.base-url=" + peers.zdc.baseUrl() + "/dicom-web/",
                "--beeldbrug.bridge.sources[1].id=hospital", "--beeldbrug.bridge.sources[1].ura=" + BridgePeers.HOSPITAL_URA,
                "--beeldbrug.bridge.sources[1].name=Hospital", "--beeldbrug.bridge.sources[1].dicom.ae-title=ORTHANC",
                "--beeldbrug.bridge.sources[1].dicom.port=" + peers.hospital.dicomPort());
        gateway = start(dir, args, management, "first");

        String sample = Files.readString(Path.of("..", "docs", "samples", "iti41-provide-and-register.xml"))
                .replace("1.2.528.1.1001.200.10.4711.1^", studyUid + "^")
                .replace("1.2.528.1.1001.200.10.4711.2001", studyUid + ".9001")
                .replace("1.2.528.1.1001.200.10.4711.1001", studyUid + ".9002");
        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/services/repository/iti41"))
                .header("Content-Type", "application/soap+xml; charset=UTF-8").POST(HttpRequest.BodyPublishers.ofString(sample)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(registered.body()).contains("ResponseStatusType:Success");

        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/imports"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"study\":\"" + studyUid + "\",\"target\":\"hospital\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        long id = JSON.readTree(created.body()).get("id").asLong();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> job(port, id).get("instancesDone").asInt() >= 30);
        gateway.destroyForcibly(); // SIGKILL: no shutdown hooks, the lease stays
        gateway.waitFor();
        int atKill = hospitalInstances(studyUid).size();
        assertThat(atKill).isLessThan(INSTANCES);

        gateway = start(dir, args, management, "second");
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last[0] = job(port, id);
            return "done".equals(last[0].get("state").asText()) || "failed".equals(last[0].get("state").asText());
        });
        assertThat(last[0].get("state").asText()).as(last[0].toString()).isEqualTo("done");
        assertThat(last[0].get("attempts").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(last[0].get("instancesDone").asInt()).isEqualTo(INSTANCES);
        assertThat(last[0].get("instancesSkipped").asInt()).isGreaterThanOrEqualTo(30);

        List<String> inHospital = hospitalInstances(studyUid);
        assertThat(inHospital).hasSize(INSTANCES).doesNotHaveDuplicates();
        Map<String, String> expected = Fixtures.instances(files);
        Map<String, String> got = BridgePeers.contents(peers.hospital, studyUid, dir.resolve("hospital"));
        assertThat(got).isEqualTo(expected);
    }

    /** {@value #INSTANCES} CT instances in 3 series, made from the pydicom CT sample with new UIDs. */
    private static List<Path> largeStudy(Path dir, String studyUid) throws IOException {
        Files.createDirectories(dir);
        DicomFile template = DicomFile.read(Peers.sample("CT_small.dcm"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            Attributes ds = DicomFile.read(Peers.sample("CT_small.dcm")).dataset();
            String sop = studyUid + "." + (i % 3 + 1) + "." + (i + 1);
            ds.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
            ds.setString(Tag.SeriesInstanceUID, VR.UI, studyUid + "." + (i % 3 + 1));
            ds.setString(Tag.SOPInstanceUID, VR.UI, sop);
            ds.setString(Tag.InstanceNumber, VR.IS, String.valueOf(i + 1));
            Path f = dir.resolve(i + ".dcm");
            new DicomFile(DicomFile.createFileMeta(ds.getString(Tag.SOPClassUID), sop, template.transferSyntax().uid()), ds).write(f);
            files.add(f);
        }
        return files;
    }

    private Process start(Path dir, List<String> args, int management, String name) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", Path.of("target", "beeldbrug-gateway.jar").toString()));
        cmd.addAll(args);
        Path log = dir.resolve("gateway-" + name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!p.isAlive()) {
                throw new AssertionError("gateway exited:\n" + Files.readString(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness"))
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return p;
    }

    private JsonNode job(int port, long id) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/imports/" + id))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private List<String> hospitalInstances(String studyUid) throws IOException {
        JsonNode found = peers.hospital.post("/tools/find", "{\"Level\":\"Instance\",\"Expand\":true,"
                + "\"Query\":{\"StudyInstanceUID\":\"" + studyUid + "\"}}");
        List<String> sops = new ArrayList<>();
        found.forEach(i -> sops.add(i.get("MainDicomTags").get("SOPInstanceUID").asText()));
        return sops;
    }

}
