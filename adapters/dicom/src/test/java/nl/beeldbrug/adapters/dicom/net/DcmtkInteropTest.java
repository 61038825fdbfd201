package nl.beeldbrug.adapters.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import nl.beeldbrug.adapters.dicom.archive.FileArchive;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.DcmtkPeers;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interoperability with dcmtk 3.6.7: dcmtk tools against our SCP, and our SCU against storescp and dcmqrscp.
 * Round trips compare SOP Instance UIDs and pixel data hashes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DcmtkInteropTest {
    private Path tmp;

    private Fixtures.Study study;
    private FileArchive served;     // pre-loaded, answers FIND/MOVE/GET
    private DicomServer servingScp;
    private FileArchive received;   // receives C-STORE
    private DicomServer receivingScp;
    private DcmtkPeers.Peer storescp;
    private DcmtkPeers.Peer dcmqrscp;
    private final DicomClient client = DicomClient.of("BB_SCU");

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        study = Fixtures.study(tmp.resolve("src"), "dcmtk");
        storescp = DcmtkPeers.storescp(tmp.resolve("storescp"), "STORESCP", List.of());
        received = new FileArchive(tmp.resolve("received"));
        receivingScp = DicomServer.startOnLoopback(AssociationConfig.of("BB_RECV")
                .withStoreHandler(tmp.resolve("spool"), received), 0, 10);
        served = new FileArchive(tmp.resolve("served"));
        for (Path f : study.files()) {
            served.add(f);
        }
        servingScp = DicomServer.startOnLoopback(AssociationConfig.of("BB_QR")
                .withQueryHandler(served)
                .withMoveDestinations(Map.of("STORESCP", RemoteAe.of("STORESCP", "127.0.0.1", storescp.port()),
                        "BB_RECV", RemoteAe.of("BB_RECV", "127.0.0.1", receivingScp.port()))), 0, 10);
        // dcmqrscp only sends what it can offer uncompressed, so it serves the native-encoded instances
        dcmqrscp = DcmtkPeers.dcmqrscp(tmp.resolve("dcmqrscp"), "DCMQRSCP", nativeFiles(),
                List.<String[]>of(new String[] {"BB_RECV", "127.0.0.1", String.valueOf(receivingScp.port())}));
    }

    @AfterAll
    void stop() throws Exception {
        storescp.close();
        dcmqrscp.close();
        servingScp.close();
        receivingScp.close();
    }

    private List<Path> nativeFiles() {
        return study.files().subList(0, 3);
    }

    private String dcmqrLog() throws java.io.IOException {
        return Files.readString(tmp.resolve("dcmqrscp").resolve("dcmqrscp.log"));
    }

    private RemoteAe dcmqr() {
        return RemoteAe.of("DCMQRSCP", "127.0.0.1", dcmqrscp.port());
    }

    private RemoteAe servingAe() {
        return RemoteAe.of("BB_QR", "127.0.0.1", servingScp.port());
    }

    // ---- dcmtk SCU -> our SCP ---------------------------------------------------------------------

    @Test
    void echoscuToOurScp() {
        Peers.run(Peers.require("echoscu", "dcmtk"), "-aec", "BB_RECV", "127.0.0.1", String.valueOf(receivingScp.port()));
    }

    @Test
    void storescuToOurScpStreamsInstancesToStorage() {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu", "dcmtk"), "-R", "-aec", "BB_RECV", "127.0.0.1",
                String.valueOf(receivingScp.port())));
        study.files().subList(0, 3).forEach(f -> cmd.add(f.toString()));
        Peers.run(cmd.toArray(String[]::new));
        // the JPEG 2000 instance goes in its own run: storescu proposes JPEG 2000 only when told (-xw)
        Peers.run(Peers.require("storescu", "dcmtk"), "-xw", "-aec", "BB_RECV", "127.0.0.1",
                String.valueOf(receivingScp.port()), study.files().get(3).toString());
        Map<String, String> expected = Fixtures.instances(study.files());
        await().atMost(Duration.ofSeconds(30)).until(() -> received.directory().toFile().exists());
        Map<String, String> got = new java.util.TreeMap<>();
        expected.keySet().forEach(uid -> {
            Path f = received.file(uid);
            assertThat(f).as("received " + uid).isNotNull();
            try {
                got.put(uid, Fixtures.pixelHash(f));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(got).isEqualTo(expected);
    }

    @ParameterizedTest(name = "storescu {0} -> stored as {1}")
    @CsvSource({
        // with -xb storescu offers big endian in one context and little endian in another; it picks which to use
        "-xb, 1.2.840.10008.1.2.2|1.2.840.10008.1.2.1",
        "-xd, 1.2.840.10008.1.2.1.99", "-xi, 1.2.840.10008.1.2", "-xe, 1.2.840.10008.1.2.1"})
    void ourScpStoresWhatTheScuSendsInEveryUncompressedSyntax(String option, String expectedTs) throws Exception {
        FileArchive archive = new FileArchive(tmp.resolve("ts" + option));
        try (DicomServer scp = DicomServer.startOnLoopback(AssociationConfig.of("BB_TS")
                .withStoreHandler(tmp.resolve("spool"), archive), 0, 2)) {
            Path mr = study.files().get(1);
            Peers.run(Peers.require("storescu", "dcmtk"), option, "-aec", "BB_TS", "127.0.0.1",
                    String.valueOf(scp.port()), mr.toString());
            String uid = Fixtures.instances(List.of(mr)).keySet().iterator().next();
            Path stored = archive.file(uid);
            assertThat(DicomFile.read(stored).transferSyntax().uid()).isIn((Object[]) expectedTs.split("\\|"));
            assertThat(Fixtures.pixelHash(stored)).isEqualTo(Fixtures.pixelHash(mr));
            // and dcmtk agrees on every element
            assertThat(Peers.normalizedDump(stored)).isEqualTo(Peers.normalizedDump(mr));
        }
    }

    @Test
    void ourScuTranscodesForAnImplicitOnlyStorescp() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("storescp-ivr"));
        try (DcmtkPeers.Peer peer = DcmtkPeers.storescp(dir, "STORESCP_IVR", List.of("+xi"))) {
            List<Path> natives = study.files().subList(0, 3);
            RetrieveResult r = client.store(RemoteAe.of("STORESCP_IVR", "127.0.0.1", peer.port()), natives);
            assertThat(r.completed()).isEqualTo(3);
            assertThat(Fixtures.instances(dir)).isEqualTo(Fixtures.instances(natives));
        }
    }

    @ParameterizedTest
    @CsvSource({"STUDY, 1", "SERIES, 3", "IMAGE, 4"})
    void findscuToOurScp(String level, int expectedMatches) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("findscu-" + level));
        List<String> cmd = new ArrayList<>(List.of(Peers.require("findscu", "dcmtk"), "-S", "-aec", "BB_QR",
                "-k", "QueryRetrieveLevel=" + level, "-k", "PatientName", "-X", "-od", out.toString()));
        switch (level) {
            case "STUDY" -> cmd.addAll(List.of("-k", "PatientID=" + Fixtures.PATIENT_ID, "-k", "StudyInstanceUID",
                    "-k", "NumberOfStudyRelatedInstances"));
            case "SERIES" -> cmd.addAll(List.of("-k", "StudyInstanceUID=" + study.studyUid(), "-k", "SeriesInstanceUID"));
            default -> cmd.addAll(List.of("-k", "StudyInstanceUID=" + study.studyUid(), "-k", "SOPInstanceUID"));
        }
        cmd.addAll(List.of("127.0.0.1", String.valueOf(servingScp.port())));
        Peers.run(cmd.toArray(String[]::new));
        List<Path> responses;
        try (Stream<Path> s = Files.list(out)) {
            responses = s.toList();
        }
        assertThat(responses).hasSize(expectedMatches);
        for (Path r : responses) {
            Attributes a = DicomFile.read(r).dataset();
            assertThat(a.getString(Tag.StudyInstanceUID)).isEqualTo(study.studyUid());
            assertThat(a.getString(Tag.PatientName)).isEqualTo("Test^Beeldbrug");
        }
    }

    @Test
    void findscuPatientRootToOurScp() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("findscu-patient"));
        Peers.run(Peers.require("findscu", "dcmtk"), "-P", "-aec", "BB_QR", "-k", "QueryRetrieveLevel=PATIENT",
                "-k", "PatientID=" + Fixtures.PATIENT_ID, "-k", "PatientName", "-X", "-od", out.toString(),
                "127.0.0.1", String.valueOf(servingScp.port()));
        try (Stream<Path> s = Files.list(out)) {
            List<Path> responses = s.toList();
            assertThat(responses).hasSize(1);
            assertThat(DicomFile.read(responses.get(0)).dataset().getString(Tag.PatientName)).isEqualTo("Test^Beeldbrug");
        }
    }

    @Test
    void movescuThroughOurScpToStorescp() throws Exception {
        Peers.run(Peers.require("movescu", "dcmtk"), "-S", "-aec", "BB_QR", "-aem", "STORESCP",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study.studyUid(),
                "127.0.0.1", String.valueOf(servingScp.port()));
        Path dir = storescp.dir();
        await().atMost(Duration.ofSeconds(30)).until(() -> Fixtures.instances(dir).keySet()
                .containsAll(Fixtures.instances(study.files()).keySet()));
        assertThat(Fixtures.instances(dir)).containsAllEntriesOf(Fixtures.instances(study.files()));
    }

    @Test
    void getscuFromOurScp() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("getscu"));
        // getscu offers JPEG 2000 only when told to prefer it, so the encapsulated series is fetched separately
        for (String[] series : new String[][] {{".1", "+x="}, {".2", "+x="}, {".3", "+xw"}}) {
            Peers.run(Peers.require("getscu", "dcmtk"), "-S", series[1], "-aec", "BB_QR", "-od", out.toString(),
                    "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + study.studyUid(),
                    "-k", "SeriesInstanceUID=" + study.studyUid() + series[0],
                    "127.0.0.1", String.valueOf(servingScp.port()));
        }
        assertThat(Fixtures.instances(out)).isEqualTo(Fixtures.instances(study.files()));
    }

    // ---- our SCU -> dcmtk SCP ---------------------------------------------------------------------

    @Test
    void echoAgainstStorescpAndDcmqrscp() throws Exception {
        client.echo(RemoteAe.of("STORESCP", "127.0.0.1", storescp.port()));
        client.echo(dcmqr());
    }

    @Test
    void storeToStorescp() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("storescp2"));
        try (DcmtkPeers.Peer peer = DcmtkPeers.storescp(dir, "STORESCP2", List.of())) {
            RetrieveResult r = client.store(RemoteAe.of("STORESCP2", "127.0.0.1", peer.port()), study.files());
            assertThat(r.completed()).isEqualTo(study.files().size());
            assertThat(r.success()).isTrue();
            assertThat(Fixtures.instances(dir)).isEqualTo(Fixtures.instances(study.files()));
        }
    }

    @Test
    void findAtEachLevelAgainstDcmqrscp() throws Exception {
        List<Attributes> studies = client.findStudies(dcmqr(), Fixtures.PATIENT_ID);
        assertThat(studies).extracting(a -> a.getString(Tag.StudyInstanceUID)).containsExactly(study.studyUid());
        List<Attributes> series = client.findSeries(dcmqr(), study.studyUid());
        assertThat(series).extracting(a -> a.getString(Tag.SeriesInstanceUID))
                .containsExactlyInAnyOrder(study.studyUid() + ".1", study.studyUid() + ".2");
        List<Attributes> images = client.findInstances(dcmqr(), study.studyUid(), study.studyUid() + ".2");
        assertThat(images).extracting(a -> a.getString(Tag.SOPInstanceUID)).hasSize(2)
                .allSatisfy(uid -> assertThat(Fixtures.instances(study.files())).containsKey(uid));
        Attributes patient = new Attributes();
        patient.setString(Tag.QueryRetrieveLevel, VR.CS, "PATIENT");
        patient.setString(Tag.PatientID, VR.LO, Fixtures.PATIENT_ID);
        patient.put(Tag.PatientName, VR.PN, null);
        assertThat(client.find(dcmqr(), QueryModel.PATIENT_ROOT, patient))
                .extracting(a -> a.getString(Tag.PatientName)).containsExactly("Test^Beeldbrug");
    }

    @Test
    void findAtEachLevelAgainstOurScp() throws Exception {
        assertThat(client.findStudies(servingAe(), Fixtures.PATIENT_ID)).singleElement()
                .satisfies(a -> assertThat(a.getInt(Tag.NumberOfStudyRelatedInstances, 0)).isEqualTo(4));
        assertThat(client.findSeries(servingAe(), study.studyUid())).hasSize(3);
        assertThat(client.findInstances(servingAe(), study.studyUid(), study.studyUid() + ".2")).hasSize(2);
    }

    @Test
    void findCancelStopsTheResponses() throws Exception {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
        keys.setString(Tag.StudyInstanceUID, VR.UI, study.studyUid());
        keys.put(Tag.SOPInstanceUID, VR.UI, null);
        List<Attributes> seen = new ArrayList<>();
        try (Association as = client.connect(servingAe(), List.of(PresentationContext.proposed(1,
                QueryModel.STUDY_ROOT.find(), nl.beeldbrug.adapters.dicom.dict.UID.ImplicitVRLittleEndian),
                PresentationContext.proposed(3, nl.beeldbrug.adapters.dicom.dict.UID.Verification,
                        nl.beeldbrug.adapters.dicom.dict.UID.ImplicitVRLittleEndian)), List.of())) {
            int status = DimseScu.find(as, QueryModel.STUDY_ROOT.find(), keys, m -> seen.add(m) && false);
            assertThat(status).isIn(Dimse.CANCEL, Dimse.SUCCESS);
            assertThat(seen).hasSize(1);
            assertThat(DimseScu.echo(as)).isZero(); // association still usable
        }
    }

    @Test
    void moveFromDcmqrscpToOurScp() throws Exception {
        RetrieveResult r = client.moveStudy(dcmqr(), study.studyUid(), "BB_RECV");
        assertThat(r.success()).as("status %x, log %s", r.status(), dcmqrLog()).isTrue();
        assertThat(r.completed()).isEqualTo(3);
        Map<String, String> expected = Fixtures.instances(nativeFiles());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(received.file(e.getKey())).isNotNull();
            assertThat(Fixtures.pixelHash(received.file(e.getKey()))).isEqualTo(e.getValue());
        }
    }

    @Test
    void getFromDcmqrscp() throws Exception {
        FileArchive got = new FileArchive(tmp.resolve("got"));
        RetrieveResult r = client.getStudy(dcmqr(), study.studyUid(), got);
        assertThat(r.success()).as("status %x, log %s", r.status(), dcmqrLog()).isTrue();
        assertThat(r.completed()).isEqualTo(3);
        assertThat(Fixtures.instances(got.directory())).isEqualTo(Fixtures.instances(nativeFiles()));
    }

    @Test
    void ourMoveAndGetAgainstOurScp() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("own"));
        FileArchive got = new FileArchive(dir);
        RetrieveResult r = client.getStudy(servingAe(), study.studyUid(), got);
        assertThat(r.completed()).isEqualTo(4);
        assertThat(Fixtures.instances(dir)).isEqualTo(Fixtures.instances(study.files()));
        RetrieveResult m = client.moveStudy(servingAe(), study.studyUid(), "NOWHERE");
        assertThat(m.status()).isEqualTo(Dimse.MOVE_DESTINATION_UNKNOWN);
    }
}
