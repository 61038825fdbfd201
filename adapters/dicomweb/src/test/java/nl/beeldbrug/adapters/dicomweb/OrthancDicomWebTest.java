package nl.beeldbrug.adapters.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * STOW-RS, QIDO-RS and WADO-RS (instances and metadata) against Orthanc 1.10 with its DICOMweb plugin, on loopback.
 * Round trips compare SOP Instance UIDs and the bytes (hence the pixel data) of every instance.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrthancDicomWebTest {
    private static final Path SAMPLES = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");
    private static final String PATIENT = "BB-WEB-1";
    private Path tmp;
    private Process orthanc;
    private DicomWebClient web;
    private String studyUid;
    private final Map<String, String> expected = new TreeMap<>(); // SOP Instance UID -> sha256 of file
    private final List<Path> files = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        String orthancBin = require("/usr/sbin/Orthanc", "orthanc");
        String plugin = require("/usr/share/orthanc/plugins/libOrthancDicomWeb.so", "orthanc-dicomweb");
        String dcmodify = require("/usr/bin/dcmodify", "dcmtk");
        require(SAMPLES.resolve("MR_small.dcm").toString(), "python3-pydicom");
        int http = freePort();
        int dicom = freePort();
        String config = """
                {"Name": "beeldbrug-web-test", "StorageDirectory": "%s", "IndexDirectory": "%s",
                 "DicomAet": "ORTHANC", "DicomPort": %d, "HttpPort": %d, "RemoteAccessAllowed": false,
                 "AuthenticationEnabled": false, "KeepAlive": false, "Plugins": ["%s"],
                 "DicomWeb": {"Enable": true, "Root": "/dicom-web/", "EnableWado": true}}
                """.formatted(tmp.resolve("storage"), tmp.resolve("index"), dicom, http, plugin);
        Files.writeString(tmp.resolve("orthanc.json"), config);
        orthanc = new ProcessBuilder(orthancBin, tmp.resolve("orthanc.json").toString()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("orthanc.log").toFile()).start();
        HttpClient probe = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            if (!orthanc.isAlive()) {
                throw new AssertionError("Orthanc exited: " + Files.readString(tmp.resolve("orthanc.log")));
            }
            try {
                return probe.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/dicom-web/studies"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() / 100 == 2;
            } catch (IOException e) {
                return false;
            }
        });
        web = DicomWebClient.of(URI.create("http://127.0.0.1:" + http + "/dicom-web"));
        studyUid = "2.25." + System.nanoTime();
        String[][] plan = {{"CT_small.dcm", "1"}, {"MR_small.dcm", "2"}, {"MR_small.dcm", "2"}, {"JPEG2000.dcm", "3"}};
        for (int i = 0; i < plan.length; i++) {
            Path f = tmp.resolve("in-" + i + ".dcm");
            Files.copy(SAMPLES.resolve(plan[i][0]), f, StandardCopyOption.REPLACE_EXISTING);
            run(dcmodify, "-nb", "-gin", "-i", "(0020,000D)=" + studyUid, "-i", "(0020,000E)=" + studyUid + "." + plan[i][1],
                    "-i", "(0010,0020)=" + PATIENT, f.toString());
            files.add(f);
            expected.put(sopUid(f), sha256(f));
        }
        StowResult r = web.store(files);
        assertThat(r.success()).as("STOW-RS %s", r).isTrue();
        assertThat(r.stored()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    }

    @AfterAll
    void stop() throws Exception {
        orthanc.destroy();
        if (!orthanc.waitFor(10, TimeUnit.SECONDS)) {
            orthanc.destroyForcibly();
        }
    }

    @Test
    void qidoAtEachLevel() throws Exception {
        List<DicomJson> studies = web.searchStudies(Map.of("PatientID", PATIENT));
        assertThat(studies).extracting(s -> s.string(0x0020000D)).containsExactly(studyUid);
        List<DicomJson> series = web.searchSeries(studyUid, Map.of());
        assertThat(series).extracting(s -> s.string(0x0020000E))
                .containsExactlyInAnyOrder(studyUid + ".1", studyUid + ".2", studyUid + ".3");
        List<DicomJson> instances = web.searchInstances(studyUid, studyUid + ".2", Map.of());
        assertThat(instances).extracting(s -> s.string(0x00080018)).hasSize(2)
                .allSatisfy(uid -> assertThat(expected).containsKey(uid));
        assertThat(web.searchStudies(Map.of("PatientID", "NOBODY"))).isEmpty();
    }

    @Test
    void wadoRetrievesTheSameInstances() throws Exception {
        List<Path> got = web.retrieveStudy(studyUid, tmp.resolve("wado"));
        Map<String, String> actual = new TreeMap<>();
        for (Path f : got) {
            actual.put(sopUid(f), sha256(f));
        }
        assertThat(actual).isEqualTo(expected);
        List<byte[]> one = new ArrayList<>();
        String sop = expected.keySet().iterator().next();
        String series = seriesOf(sop);
        web.retrieveInstance(studyUid, series, sop, (type, headers, body) -> one.add(body.readAllBytes()));
        assertThat(one).hasSize(1);
    }

    @Test
    void wadoMetadata() throws Exception {
        List<DicomJson> meta = web.retrieveStudyMetadata(studyUid);
        assertThat(meta).extracting(m -> m.string(0x00080018)).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(meta).allSatisfy(m -> assertThat(m.string(0x00100020)).isEqualTo(PATIENT));
    }

    private String seriesOf(String sop) throws Exception {
        for (Path f : files) {
            if (sopUid(f).equals(sop)) {
                return tag(f, "0020,000e");
            }
        }
        throw new AssertionError(sop);
    }

    private static String sopUid(Path f) throws Exception {
        return tag(f, "0008,0018");
    }

    private static String tag(Path f, String tag) throws Exception {
        String out = run("/usr/bin/dcmdump", "-q", "+P", tag, f.toString());
        int a = out.indexOf('[');
        return out.substring(a + 1, out.indexOf(']', a));
    }

    /** SHA-256 of the pixel data as dcmtk reads it (independent of how the file meta was rewritten). */
    private static String sha256(Path f) throws Exception {
        String px = run("/usr/bin/dcmdump", "-q", "+L", "+P", "7fe0,0010", f.toString());
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(px.getBytes(StandardCharsets.UTF_8)));
    }

    private static String require(String path, String pkg) {
        if (!Files.exists(Path.of(path))) {
            throw new AssertionError(path + " missing: install the Debian package '" + pkg + "'");
        }
        return path;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
