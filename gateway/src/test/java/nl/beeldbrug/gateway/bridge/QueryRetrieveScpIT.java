package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.DcmtkPeers;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.gateway.qr.QueryRetrieveScp;
import nl.beeldbrug.gateway.security.DicomAccessGate;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Beeldbrug's DICOM Q/R SCP with dcmtk as the hospital PACS (findscu, getscu, movescu), the ZDC Orthanc as source
 * archive (over DICOMweb and over DIMSE) and dcmtk's storescp as C-MOVE destination: a permitted study is found and
 * retrieved with the SOP instances (and pixel data) the archive holds; for an organisation the patient's consent
 * denies, C-FIND finds nothing and C-GET/C-MOVE answer exactly like for an unknown study; an unknown calling AE is
 * rejected (and audited), a bridge source's AE is admitted and decided as its organisation; malformed identifiers get failure statuses and the SCP keeps serving; one audit record per request.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false", "beeldbrug.bridge.serve.imports.enabled=false"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryRetrieveScpIT {

    static final String PACS = "ZIEKENHUIS_PACS";
    static final String DENIED_PACS = "ANDER_PACS";
    static final String DENIED_URA = "00007777";
    static final String UNKNOWN = "2.25.4242424242424242";

    private static BridgePeers peers;
    private static DcmtkPeers.Peer destination;
    private static final AtomicInteger RUN = new AtomicInteger();

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-qr-postgres");
        peers = new BridgePeers(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "qr-peers"));
        peers.register(registry);
        destination = DcmtkPeers.storescp(peers.dir.resolve("moved"), "WERKSTATION", List.of());
        int port = Peers.freePort();
        registry.add("beeldbrug.dicom.qr.port", () -> port);
        registry.add("beeldbrug.dicom.qr.bind-address", () -> "127.0.0.1");
        registry.add("beeldbrug.dicom.strict-calling-ae", () -> "true");
        registry.add("beeldbrug.dicom.calling-aes[0].ae-title", () -> PACS);
        registry.add("beeldbrug.dicom.calling-aes[0].ura", () -> BridgePeers.HOSPITAL_URA);
        registry.add("beeldbrug.dicom.calling-aes[0].purpose", () -> "TREAT");
        registry.add("beeldbrug.dicom.calling-aes[1].ae-title", () -> DENIED_PACS);
        registry.add("beeldbrug.dicom.calling-aes[1].ura", () -> DENIED_URA);
        registry.add("beeldbrug.dicom.qr.move-destinations[0].ae-title", () -> "WERKSTATION");
        registry.add("beeldbrug.dicom.qr.move-destinations[0].host", () -> "127.0.0.1");
        registry.add("beeldbrug.dicom.qr.move-destinations[0].port", () -> destination.port());
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    DocumentRepositoryService repository;
    @Autowired
    QueryRetrieveScp scp;
    @Autowired
    DicomAccessGate gate;

    private Fixtures.Study overWeb;
    private Fixtures.Study overDimse;

    @BeforeAll
    void load() {
        Database.inTransaction(dataSource, t -> {
            patients.add(t, SampleMetadata.BSN);
            return null;
        });
        overWeb = peers.loadIntoZdc("qrweb");
        overDimse = peers.loadIntoZdc("qrdimse");
        BridgePeers.register(repository, SampleMetadata.BSN, overWeb.studyUid(), BridgePeers.ZDC_URA);
        BridgePeers.register(repository, SampleMetadata.BSN, overDimse.studyUid(), BridgePeers.ZDC_DIMSE_URA);
        new ConsentStore(dataSource, Clock.systemUTC()).create(new ConsentRecord(ConsentStore.newId(), SampleMetadata.BSN,
                ConsentStatus.ACTIVE, Instant.now(), List.of(Provision.deny().organisation(Ura.of(DENIED_URA)).build())));
    }

    @AfterAll
    void stop() {
        destination.close();
        peers.close();
    }

    // ------------------------------------------------------------------------------------------------ C-FIND

    @Test
    void studiesOfThePatientAreFoundByBsn() throws IOException {
        List<DicomFileAnswer> found = find(PACS, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=" + SampleMetadata.BSN.value(),
                "-k", "IssuerOfPatientID=2.16.840.1.113883.2.4.6.3", "-k", "StudyInstanceUID", "-k", "StudyDate",
                "-k", "ModalitiesInStudy", "-k", "PatientName");
        assertThat(found).extracting(DicomFileAnswer::studyUid).containsExactlyInAnyOrder(overWeb.studyUid(), overDimse.studyUid());
        assertThat(found).allSatisfy(a -> {
            assertThat(a.patientId()).isEqualTo(SampleMetadata.BSN.value());
            assertThat(a.retrieveAe()).isEqualTo("BEELDBRUG");
        });
        // patient root, PATIENT level
        assertThat(find(PACS, "-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=" + SampleMetadata.BSN.value(),
                "-k", "NumberOfPatientRelatedStudies")).hasSize(1);
    }

    @Test
    void seriesAndInstancesComeFromTheSourceArchive() throws IOException {
        for (Fixtures.Study study : List.of(overWeb, overDimse)) {
            List<DicomFileAnswer> series = find(PACS, "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + study.studyUid(),
                    "-k", "SeriesInstanceUID", "-k", "NumberOfSeriesRelatedInstances");
            assertThat(series).hasSize(3);
            List<DicomFileAnswer> images = find(PACS, "-S", "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + study.studyUid(),
                    "-k", "SeriesInstanceUID=" + study.studyUid() + ".2", "-k", "SOPInstanceUID", "-k", "SOPClassUID");
            assertThat(images).extracting(DicomFileAnswer::sopUid).containsExactlyInAnyOrderElementsOf(
                    Fixtures.instances(study.files().subList(1, 3)).keySet());
        }
    }

    @Test
    void deniedOrganisationFindsNothing() throws IOException {
        assertThat(find(DENIED_PACS, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=" + SampleMetadata.BSN.value(),
                "-k", "StudyInstanceUID")).isEmpty();
        assertThat(find(DENIED_PACS, "-S", "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + overWeb.studyUid(),
                "-k", "SeriesInstanceUID")).isEmpty();
        assertThat(find(DENIED_PACS, "-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=" + SampleMetadata.BSN.value())).isEmpty();
        // the denial is on record, with the patient
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new JdbcTemplate(dataSource).queryForObject(
                "select count(*) from audit_event where event_type like '%RAD-14%' and ? = any(patient_ids) and outcome <> 'Success'",
                Integer.class, SampleMetadata.BSN.value())).isPositive());
    }

    // ------------------------------------------------------------------------------------------ C-GET, C-MOVE

    /** C-GET of the uncompressed series (getscu offers one transfer syntax per SOP class: no JPEG 2000 next to them). */
    @Test
    void permittedSeriesAreRetrievedWithCGet() {
        for (Fixtures.Study study : List.of(overWeb, overDimse)) {
            Path out = dir("get");
            String log = Peers.run(Peers.require("getscu", "dcmtk"), "-d", "-S", "-aet", PACS, "-aec", "BEELDBRUG",
                    "-od", out.toString(), "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID=" + study.studyUid(),
                    "-k", "SeriesInstanceUID=" + study.studyUid() + ".1\\" + study.studyUid() + ".2",
                    "127.0.0.1", String.valueOf(scp.port()));
            assertThat(Fixtures.instances(out)).as(log).isEqualTo(Fixtures.instances(study.files().subList(0, 3))).hasSize(3);
            assertThat(finalResponse(log, "C-GET")).contains("0x0000").contains("Completed Suboperations       : 3");
        }
    }

    /** C-MOVE of whole studies, JPEG 2000 included, to storescp. */
    @Test
    void permittedStudyIsMovedToTheDestination() {
        for (Fixtures.Study study : List.of(overWeb, overDimse)) {
            List<Path> before = files(destination.dir());
            String log = Peers.run(Peers.require("movescu", "dcmtk"), "-d", "-S", "-aet", PACS, "-aec", "BEELDBRUG",
                    "-aem", "WERKSTATION", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study.studyUid(),
                    "127.0.0.1", String.valueOf(scp.port()));
            assertThat(finalResponse(log, "C-MOVE")).contains("0x0000").contains("Completed Suboperations       : 4");
            List<Path> now = files(destination.dir());
            now.removeAll(before);
            assertThat(Fixtures.instances(now)).isEqualTo(Fixtures.instances(study.files())).hasSize(4);
        }
    }

    @Test
    void deniedStudyIsRetrievedExactlyLikeAnUnknownOne() {
        for (String tool : List.of("getscu", "movescu")) {
            String op = tool.equals("getscu") ? "C-GET" : "C-MOVE";
            String denied = finalResponse(retrieve(tool, DENIED_PACS, overWeb.studyUid()), op);
            String unknown = finalResponse(retrieve(tool, DENIED_PACS, UNKNOWN), op);
            String unknownToPermitted = finalResponse(retrieve(tool, PACS, UNKNOWN), op);
            assertThat(denied).contains("0x0000").contains("Completed Suboperations       : 0")
                    .isEqualTo(unknown).isEqualTo(unknownToPermitted);
        }
        // the denials are on record, with the patient
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new JdbcTemplate(dataSource).queryForObject(
                "select count(*) from audit_event where event_type like '%RAD-16%' and ? = any(patient_ids) and outcome <> 'Success'",
                Integer.class, SampleMetadata.BSN.value())).isGreaterThanOrEqualTo(2));
    }

    @Test
    void everyRequestLeavesOneAuditRecord() throws IOException {
        int queries = audits("RAD-14");
        int retrievals = audits("RAD-16");
        find(PACS, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + overWeb.studyUid());
        retrieve("getscu", PACS, UNKNOWN);
        String log = Peers.runAllowingFailure(Peers.require("movescu", "dcmtk"), "-d", "-S", "-aet", PACS, "-aec", "BEELDBRUG",
                "-aem", "NERGENS", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + overWeb.studyUid(),
                "127.0.0.1", String.valueOf(scp.port())).output();
        assertThat(finalResponse(log, "C-MOVE")).contains("0xa801");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(audits("RAD-14")).isEqualTo(queries + 1);
            assertThat(audits("RAD-16")).isEqualTo(retrievals + 2);
        });
    }

    private int audits(String transaction) {
        return new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_event where event_type like ?",
                Integer.class, "%" + transaction + "%");
    }

    // ------------------------------------------------------------------------------------------ refusals

    @Test
    void unknownCallingAeIsRejectedAndTheRejectionIsAudited() {
        int rejections = rejectedAssociations();
        Peers.Result r = Peers.runAllowingFailure(Peers.require("findscu", "dcmtk"), "-S", "-aet", "NIEMAND", "-aec", "BEELDBRUG",
                "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=" + SampleMetadata.BSN.value(), "127.0.0.1", String.valueOf(scp.port()));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.output()).containsIgnoringCase("Calling AE Title Not Recognized");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rejectedAssociations()).isEqualTo(rejections + 1));
    }

    /**
     * A bridge source's AE title is admitted to the Q/R SCP as that source's organisation (TREAT), and decided as it:
     * admission and the requester of the consent decision come from the same lookup.
     */
    @Test
    void bridgeSourceAeIsAdmittedAndDecidedAsItsOwnOrganisation() throws IOException {
        // the bridge sources' archives call themselves ORTHANC; strict calling AEs, and not among calling-aes
        DicomAccessGate.Caller source = gate.caller("ORTHANC").orElseThrow();
        assertThat(source.purpose()).isEqualTo(PurposeOfUse.TREAT);
        List<DicomFileAnswer> found = find("ORTHANC", "-S", "-k", "QueryRetrieveLevel=STUDY",
                "-k", "PatientID=" + SampleMetadata.BSN.value(), "-k", "StudyInstanceUID");
        assertThat(found).extracting(DicomFileAnswer::studyUid).containsExactlyInAnyOrder(overWeb.studyUid(), overDimse.studyUid());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(new JdbcTemplate(dataSource).queryForObject(
                "select count(*) from audit_event where event_type like '%RAD-14%' and organisation = ? and user_id = ? and purpose = 'TREAT'",
                Integer.class, source.ura().value(), "ORTHANC")).isPositive());
    }

    private int rejectedAssociations() {
        return new JdbcTemplate(dataSource).queryForObject(
                "select count(*) from audit_event where event_type = 'Q/R' and outcome <> 'Success'", Integer.class);
    }

    @Test
    void malformedIdentifiersGetFailureStatusesAndTheScpKeepsServing() throws IOException {
        assertThat(findStatus("-k", "QueryRetrieveLevel=NONSENSE", "-k", "PatientID=" + SampleMetadata.BSN.value())).isEqualTo("0xa900");
        assertThat(findStatus("-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=not-a-uid")).isEqualTo("0xa900");
        assertThat(findStatus("-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=99999*")).isEqualTo("0xa900");
        assertThat(findStatus("-k", "QueryRetrieveLevel=STUDY", "-k", "StudyDate=20200101-")).isEqualTo("0xc000");
        assertThat(findStatus("-k", "QueryRetrieveLevel=SERIES", "-k", "SeriesInstanceUID")).isEqualTo("0xa900");
        String get = Peers.runAllowingFailure(Peers.require("getscu", "dcmtk"), "-d", "-S", "-aet", PACS, "-aec", "BEELDBRUG",
                "-k", "QueryRetrieveLevel=STUDY", "127.0.0.1", String.valueOf(scp.port())).output();
        assertThat(finalResponse(get, "C-GET")).contains("0xa900");
        // still serving
        assertThat(find(PACS, "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + overWeb.studyUid())).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** What one C-FIND response identifier says. */
    record DicomFileAnswer(String studyUid, String patientId, String sopUid, String retrieveAe) {
    }

    private List<DicomFileAnswer> find(String callingAe, String... args) throws IOException {
        Path out = dir("find");
        List<String> cmd = new ArrayList<>(List.of(Peers.require("findscu", "dcmtk"), "-X", "-od", out.toString(),
                "-aet", callingAe, "-aec", "BEELDBRUG"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(scp.port())));
        Peers.run(cmd.toArray(String[]::new));
        List<DicomFileAnswer> answers = new ArrayList<>();
        for (Path f : files(out)) {
            var ds = DicomFile.read(f).dataset();
            answers.add(new DicomFileAnswer(ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.PatientID),
                    ds.getString(Tag.SOPInstanceUID), ds.getString(Tag.RetrieveAETitle)));
        }
        return answers;
    }

    private String findStatus(String... keys) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("findscu", "dcmtk"), "-d", "-S", "-aet", PACS, "-aec", "BEELDBRUG"));
        cmd.addAll(List.of(keys));
        cmd.addAll(List.of("127.0.0.1", String.valueOf(scp.port())));
        String log = Peers.runAllowingFailure(cmd.toArray(String[]::new)).output();
        Matcher m = Pattern.compile("DIMSE Status\\s*: (0x[0-9a-f]{4})").matcher(finalResponse(log, "C-FIND"));
        assertThat(m.find()).as(log).isTrue();
        return m.group(1);
    }

    private String retrieve(String tool, String callingAe, String studyUid) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require(tool, "dcmtk"), "-d", "-S", "-aet", callingAe, "-aec", "BEELDBRUG"));
        if (tool.equals("movescu")) {
            cmd.addAll(List.of("-aem", "WERKSTATION"));
        } else {
            cmd.addAll(List.of("-od", dir("get").toString()));
        }
        cmd.addAll(List.of("-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + studyUid, "127.0.0.1",
                String.valueOf(scp.port())));
        return Peers.runAllowingFailure(cmd.toArray(String[]::new)).output();
    }

    /** The last response of {@code op} in a dcmtk debug log, as printed (command set only). */
    static String finalResponse(String log, String op) {
        int at = log.lastIndexOf("Message Type                  : " + op + " RSP");
        assertThat(at).as(log).isNotNegative();
        int end = log.indexOf("END DIMSE MESSAGE", at);
        return log.substring(at, end < 0 ? log.length() : end);
    }

    private static Path dir(String name) {
        try {
            return Files.createDirectories(peers.dir.resolve(name + "-" + RUN.incrementAndGet()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return new ArrayList<>(s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".log")).toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
