package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicomweb.DicomJson;
import nl.beeldbrug.adapters.dicomweb.DicomWebClient;
import nl.beeldbrug.adapters.dicomweb.DicomWebException;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import org.junit.jupiter.api.AfterAll;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveImagingDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveSeries;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveStudy;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RAD-69 (IPF client) and WADO-RS at /dicomweb against a real archive: the ZDC Orthanc reached over DICOMweb and over DIMSE (C-GET);
 * study, series and instance retrieval compared by SOP Instance UID and pixel data hash with what storescu loaded;
 * metadata; a consent-denied study answered exactly like an unknown one; one audit record per request.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "beeldbrug.demo.enabled=false", "beeldbrug.bridge.serve.imports.enabled=false"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WadoRsIT {

    private static BridgePeers peers;

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-wado-postgres");
        peers = new BridgePeers(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "wado-peers"));
        peers.register(registry);
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    DocumentRepositoryService repository;

    private Fixtures.Study overWeb;
    private Fixtures.Study overDimse;
    private Fixtures.Study denied;
    private DicomWebClient wado;

    @BeforeAll
    void load() {
        Database.inTransaction(dataSource, t -> {
            patients.add(t, SampleMetadata.BSN);
            patients.add(t, SampleMetadata.THIRD_BSN);
            return null;
        });
        overWeb = peers.loadIntoZdc("web");
        overDimse = peers.loadIntoZdc("dimse");
        denied = peers.loadIntoZdc("denied");
        BridgePeers.register(repository, SampleMetadata.BSN, overWeb.studyUid(), BridgePeers.ZDC_URA);
        BridgePeers.register(repository, SampleMetadata.BSN, overDimse.studyUid(), BridgePeers.ZDC_DIMSE_URA);
        BridgePeers.register(repository, SampleMetadata.THIRD_BSN, denied.studyUid(), BridgePeers.ZDC_URA);
        new ConsentStore(dataSource, Clock.systemUTC()).create(new ConsentRecord(ConsentStore.newId(), SampleMetadata.THIRD_BSN,
                ConsentStatus.ACTIVE, Instant.now(), List.of(Provision.deny().build())));
        wado = DicomWebClient.of(URI.create("http://127.0.0.1:" + port + "/dicomweb/"));
    }

    @AfterAll
    void stop() {
        peers.close();
    }

    @Autowired
    StudyLocator locator;

    @Test
    void registeredStudiesAreLocated() {
        var study = locator.study(overWeb.studyUid()).orElseThrow();
        assertThat(study.performer()).as(study.toString()).isNotNull();
        assertThat(locator.sourceOf(study).orElseThrow().id()).isEqualTo("zdc");
        assertThat(locator.sourceOf(locator.study(overDimse.studyUid()).orElseThrow()).orElseThrow().id()).isEqualTo("zdc-dimse");
    }

    @Test
    void studyOverDicomWebSourceMatchesTheArchive() throws Exception {
        List<Path> files = once(() -> wado.retrieveStudy(overWeb.studyUid(), peers.dir.resolve("got-web")));
        assertThat(Fixtures.instances(files)).isEqualTo(Fixtures.instances(overWeb.files())).hasSize(4);
    }

    @Test
    void studyOverDimseSourceMatchesTheArchive() throws Exception {
        List<Path> files = once(() -> wado.retrieveStudy(overDimse.studyUid(), peers.dir.resolve("got-dimse")));
        assertThat(Fixtures.instances(files)).isEqualTo(Fixtures.instances(overDimse.files())).hasSize(4);
    }

    @Test
    void seriesAndInstanceOverBothSources() throws Exception {
        for (Fixtures.Study study : List.of(overWeb, overDimse)) {
            Path mr = study.files().get(1);
            var ds = nl.beeldbrug.adapters.dicom.file.DicomFile.read(mr).dataset();
            String series = ds.getString(nl.beeldbrug.adapters.dicom.dict.Tag.SeriesInstanceUID);
            String sop = ds.getString(nl.beeldbrug.adapters.dicom.dict.Tag.SOPInstanceUID);
            Set<String> seriesSops = new TreeSet<>();
            once(() -> {
                wado.retrieveSeries(study.studyUid(), series, (type, headers, body) -> {
                    Path f = Files.createTempFile(peers.dir, "series", ".dcm");
                    Files.write(f, body.readAllBytes());
                    seriesSops.addAll(Fixtures.instances(List.of(f)).keySet());
                });
                return null;
            });
            assertThat(seriesSops).hasSize(2).contains(sop);
            Map<String, String> one = new java.util.TreeMap<>();
            once(() -> {
                wado.retrieveInstance(study.studyUid(), series, sop, (type, headers, body) -> {
                    assertThat(type).startsWith("application/dicom");
                    Path f = Files.createTempFile(peers.dir, "instance", ".dcm");
                    Files.write(f, body.readAllBytes());
                    one.putAll(Fixtures.instances(List.of(f)));
                });
                return null;
            });
            assertThat(one).isEqualTo(Fixtures.instances(List.of(mr)));
        }
    }

    @Test
    void metadataOverBothSources() throws Exception {
        for (Fixtures.Study study : List.of(overWeb, overDimse)) {
            List<DicomJson> meta = once(() -> wado.retrieveStudyMetadata(study.studyUid()));
            assertThat(meta).extracting(m -> m.string(0x00080018)).containsExactlyInAnyOrderElementsOf(
                    Fixtures.instances(study.files()).keySet());
            assertThat(meta).allSatisfy(m -> assertThat(m.string(0x0020000D)).isEqualTo(study.studyUid()));
        }
    }

    @Test
    void deniedStudyIsAnsweredLikeAnUnknownOne() throws Exception {
        String unknown = "2.25.4242424242";
        for (String suffix : List.of("", "/metadata")) {
            HttpResponse<String> deniedAnswer = once(() -> get("/dicomweb/studies/" + denied.studyUid() + suffix));
            HttpResponse<String> unknownAnswer = once(() -> get("/dicomweb/studies/" + unknown + suffix));
            assertThat(deniedAnswer.statusCode()).isEqualTo(404);
            assertThat(unknownAnswer.statusCode()).isEqualTo(404);
            assertThat(deniedAnswer.body()).isEqualTo(unknownAnswer.body());
            assertThat(deniedAnswer.headers().firstValue("Content-Type"))
                    .isEqualTo(unknownAnswer.headers().firstValue("Content-Type"));
        }
        assertThatThrownBy(() -> wado.retrieveStudy(denied.studyUid(), peers.dir.resolve("none")))
                .isInstanceOf(DicomWebException.class).hasMessageContaining("404");
        // the denial is on record: the patient named, outcome minor failure
        assertThat(new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_event where event_type like '%RAD-107%'"
                + " and ? = any(patient_ids) and outcome <> 'Success'", Integer.class, SampleMetadata.THIRD_BSN.value())).isPositive();
    }

    // ------------------------------------------------------------------------------------------- RAD-69

    @Autowired
    org.apache.camel.ProducerTemplate producer;

    private RetrievedDocumentSet rad69(Fixtures.Study study) throws IOException {
        Map<String, List<DocumentReference>> bySeries = new java.util.LinkedHashMap<>();
        for (Path f : study.files()) {
            var ds = nl.beeldbrug.adapters.dicom.file.DicomFile.read(f).dataset();
            bySeries.computeIfAbsent(ds.getString(nl.beeldbrug.adapters.dicom.dict.Tag.SeriesInstanceUID), k -> new java.util.ArrayList<>())
                    .add(new DocumentReference("1.2.3.4.5", ds.getString(nl.beeldbrug.adapters.dicom.dict.Tag.SOPInstanceUID), null));
        }
        RetrieveImagingDocumentSet request = new RetrieveImagingDocumentSet();
        List<RetrieveSeries> series = new java.util.ArrayList<>();
        bySeries.forEach((uid, docs) -> series.add(new RetrieveSeries(uid, docs)));
        request.getRetrieveStudies().add(new RetrieveStudy(study.studyUid(), series));
        request.getTransferSyntaxIds().addAll(List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.4.90"));
        return producer.requestBody("xdsi-rad69://127.0.0.1:" + port + "/services/imaging/rad69?audit=false", request,
                RetrievedDocumentSet.class);
    }

    @Test
    void rad69RetrievesTheInstancesFromBothSources() throws Exception {
        for (Fixtures.Study study : List.of(overWeb, overDimse)) {
            RetrievedDocumentSet answer = rad69(study);
            assertThat(answer.getStatus()).as("%s", answer.getErrors()).isEqualTo(Status.SUCCESS);
            List<Path> files = new java.util.ArrayList<>();
            for (RetrievedDocument d : answer.getDocuments()) {
                assertThat(d.getMimeType()).isEqualTo("application/dicom");
                Path f = Files.createTempFile(peers.dir, "rad69", ".dcm");
                try (var in = d.getDataHandler().getInputStream()) {
                    Files.write(f, in.readAllBytes());
                }
                assertThat(Fixtures.instances(List.of(f)).keySet()).containsExactly(d.getRequestData().getDocumentUniqueId());
                files.add(f);
            }
            assertThat(Fixtures.instances(files)).isEqualTo(Fixtures.instances(study.files()));
        }
    }

    @Test
    void rad69DeniedStudyGetsTheErrorsOfAnUnknownOne() throws Exception {
        RetrievedDocumentSet deniedAnswer = rad69(denied);
        Fixtures.Study unknown = new Fixtures.Study("2.25.4242424242", denied.files());
        RetrievedDocumentSet unknownAnswer = rad69(unknown);
        assertThat(deniedAnswer.getStatus()).isEqualTo(Status.FAILURE).isEqualTo(unknownAnswer.getStatus());
        assertThat(deniedAnswer.getDocuments()).isEmpty();
        assertThat(deniedAnswer.getErrors()).hasSize(4);
        assertThat(deniedAnswer.getErrors()).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(unknownAnswer.getErrors());
        assertThat(deniedAnswer.getErrors()).allSatisfy(e -> assertThat(e.getErrorCode()).isEqualTo(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR));
    }

    @Test
    void badUidAndUnacceptableType() throws Exception {
        assertThat(once(() -> get("/dicomweb/studies/1.2.x")).statusCode()).isEqualTo(400);
        HttpResponse<String> r = once(() -> http(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/dicomweb/studies/" + overWeb.studyUid())).header("Accept", "image/jpeg").GET()));
        assertThat(r.statusCode()).isEqualTo(406);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
    }

    private static HttpResponse<String> http(HttpRequest.Builder b) throws Exception {
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs one WADO-RS request and checks it left exactly one audit record. */
    private synchronized <T> T once(Callable<T> request) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String count = "select count(*) from audit_event where event_type like '%RAD-107%'";
        int before = jdbc.queryForObject(count, Integer.class);
        T result;
        try {
            result = request.call();
        } finally {
            // the record is written when the answer is complete, which the client may see a moment earlier
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> jdbc.queryForObject(count, Integer.class) > before);
            assertThat(jdbc.queryForObject(count, Integer.class)).as("audit records of one request").isEqualTo(before + 1);
        }
        return result;
    }
}
