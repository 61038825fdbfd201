package nl.beeldbrug.adapters.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import nl.beeldbrug.adapters.dicom.archive.FileArchive;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.OrthancPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with Orthanc 1.10: our SCU stores, finds (each level), moves and gets; Orthanc's SCU (driven
 * through its REST API) echoes, stores, queries and retrieves against our SCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrthancInteropTest {
    private Path tmp;
    private Fixtures.Study study;
    private OrthancPeer orthanc;
    private FileArchive received;
    private DicomServer receivingScp;
    private FileArchive served;
    private DicomServer servingScp;
    private final DicomClient client = DicomClient.of("BB_SCU");

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        study = Fixtures.study(tmp.resolve("src"), "orthanc");
        received = new FileArchive(tmp.resolve("received"));
        receivingScp = DicomServer.startOnLoopback(AssociationConfig.of("BB_RECV")
                .withStoreHandler(tmp.resolve("spool"), received), 0, 10);
        served = new FileArchive(tmp.resolve("served"));
        Fixtures.Study other = Fixtures.study(tmp.resolve("src2"), "orthanc-served");
        for (Path f : other.files()) {
            served.add(f);
        }
        orthanc = OrthancPeer.start(tmp.resolve("orthanc"), Map.of(
                "recv", new Object[] {"BB_RECV", "127.0.0.1", receivingScp.port()}), false, List.of());
        servingScp = DicomServer.startOnLoopback(AssociationConfig.of("BB_QR").withQueryHandler(served)
                .withMoveDestinations(Map.of("ORTHANC", orthancAe())), 0, 10);
        // Orthanc needs the serving SCP's port: register it now through the REST API
        orthanc.put("/modalities/qr", "{\"AET\":\"BB_QR\",\"Host\":\"127.0.0.1\",\"Port\":" + servingScp.port() + "}");
        RetrieveResult r = client.store(orthancAe(), study.files());
        assertThat(r.completed()).isEqualTo(study.files().size());
    }

    @AfterAll
    void stop() throws Exception {
        orthanc.close();
        receivingScp.close();
        servingScp.close();
    }

    private RemoteAe orthancAe() {
        return RemoteAe.of("ORTHANC", "127.0.0.1", orthanc.dicomPort());
    }

    @Test
    void echo() throws Exception {
        client.echo(orthancAe());
    }

    @Test
    void storedInstancesAreInOrthancWithTheSamePixelData() throws Exception {
        for (Map.Entry<String, String> e : Fixtures.instances(study.files()).entrySet()) {
            JsonNode found = orthanc.post("/tools/lookup", e.getKey());
            String id = found.get(0).get("ID").asText();
            Path f = tmp.resolve("orthanc-" + id + ".dcm");
            Files.write(f, orthanc.download("/instances/" + id + "/file"));
            assertThat(DicomFile.read(f).dataset().getString(Tag.SOPInstanceUID)).isEqualTo(e.getKey());
            assertThat(Fixtures.pixelHash(f)).isEqualTo(e.getValue());
        }
    }

    @Test
    void findAtEachLevel() throws Exception {
        List<Attributes> studies = client.findStudies(orthancAe(), Fixtures.PATIENT_ID);
        assertThat(studies).extracting(a -> a.getString(Tag.StudyInstanceUID)).contains(study.studyUid());
        assertThat(client.findSeries(orthancAe(), study.studyUid())).hasSize(3);
        assertThat(client.findInstances(orthancAe(), study.studyUid(), study.studyUid() + ".2"))
                .extracting(a -> a.getString(Tag.SOPInstanceUID)).hasSize(2)
                .allSatisfy(uid -> assertThat(Fixtures.instances(study.files())).containsKey(uid));
        Attributes patient = new Attributes();
        patient.setString(Tag.QueryRetrieveLevel, nl.beeldbrug.adapters.dicom.data.VR.CS, "PATIENT");
        patient.setString(Tag.PatientID, nl.beeldbrug.adapters.dicom.data.VR.LO, Fixtures.PATIENT_ID);
        patient.put(Tag.PatientName, nl.beeldbrug.adapters.dicom.data.VR.PN, null);
        assertThat(client.find(orthancAe(), QueryModel.PATIENT_ROOT, patient))
                .extracting(a -> a.getString(Tag.PatientName)).containsExactly("Test^Beeldbrug");
    }

    @Test
    void moveFromOrthancToOurScp() throws Exception {
        RetrieveResult r = client.moveStudy(orthancAe(), study.studyUid(), "BB_RECV");
        assertThat(r.success()).as("status %x", r.status()).isTrue();
        for (Map.Entry<String, String> e : Fixtures.instances(study.files()).entrySet()) {
            assertThat(received.file(e.getKey())).as(e.getKey()).isNotNull();
            assertThat(Fixtures.pixelHash(received.file(e.getKey()))).isEqualTo(e.getValue());
        }
    }

    @Test
    void getFromOrthanc() throws Exception {
        FileArchive got = new FileArchive(tmp.resolve("got"));
        RetrieveResult r = client.getStudy(orthancAe(), study.studyUid(), got);
        assertThat(r.success()).as("status %x", r.status()).isTrue();
        assertThat(Fixtures.instances(got.directory())).isEqualTo(Fixtures.instances(study.files()));
    }

    @Test
    void orthancAsScuAgainstOurScp() throws Exception {
        orthanc.post("/modalities/recv/echo", "{}");
        // C-FIND from Orthanc to our SCP
        JsonNode query = orthanc.post("/modalities/qr/query",
                "{\"Level\":\"Study\",\"Query\":{\"PatientID\":\"" + Fixtures.PATIENT_ID + "\",\"StudyInstanceUID\":\"\"}}");
        String queryId = query.get("ID").asText();
        JsonNode answers = orthanc.get("/queries/" + queryId + "/answers?expand");
        assertThat(answers).hasSize(1);
        String servedStudy = answers.get(0).get("0020,000d").get("Value").asText();
        // C-MOVE from our SCP into Orthanc, requested by Orthanc
        orthanc.post("/queries/" + queryId + "/answers/0/retrieve", "{\"TargetAet\":\"ORTHANC\",\"Synchronous\":true}");
        await().atMost(Duration.ofSeconds(20)).until(() -> orthanc.post("/tools/find",
                "{\"Level\":\"Instance\",\"Query\":{\"StudyInstanceUID\":\"" + servedStudy + "\"}}").size() == 4);
        // C-STORE from Orthanc to our SCP
        JsonNode instances = orthanc.post("/tools/find",
                "{\"Level\":\"Study\",\"Query\":{\"StudyInstanceUID\":\"" + study.studyUid() + "\"}}");
        orthanc.post("/modalities/recv/store", "{\"Resources\":[\"" + instances.get(0).asText() + "\"],\"Synchronous\":true}");
        for (String uid : Fixtures.instances(study.files()).keySet()) {
            assertThat(received.file(uid)).as(uid).isNotNull();
        }
    }
}
