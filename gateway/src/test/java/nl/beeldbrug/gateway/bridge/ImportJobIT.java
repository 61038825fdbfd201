package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
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
import org.springframework.boot.test.web.server.LocalServerPort;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Import jobs in process against two Orthanc peers: a study of the ZDC archive (over DICOMweb, and over C-GET) is
 * imported into the hospital PACS (C-STORE) — instance UIDs and pixel data equal the source, an instance already
 * there is skipped, progress and state over /api/imports; an unreachable target is retried with back-off and ends
 * failed with its reason; a consent-denied study is 404 like an unknown one.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "beeldbrug.demo.enabled=false",
        "beeldbrug.bridge.serve.imports.poll-interval=200ms", "beeldbrug.bridge.serve.imports.first-backoff=200ms",
        "beeldbrug.bridge.serve.imports.max-attempts=3", "beeldbrug.bridge.serve.imports.batch-size=2"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportJobIT {

    private static BridgePeers peers;
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-import-postgres");
        peers = new BridgePeers(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "import-peers"));
        peers.register(registry);
        String p = "beeldbrug.bridge.sources[3].";
        registry.add(p + "id", () -> "offline");
        registry.add(p + "ura", () -> "00007777");
        registry.add(p + "name", () -> "PACS that is down");
        registry.add(p + "dicom.ae-title", () -> "DOWN");
        registry.add(p + "dicom.port", Peers::freePort);
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    DocumentRepositoryService repository;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void patients() {
        Database.inTransaction(dataSource, t -> {
            patients.add(t, SampleMetadata.BSN);
            patients.add(t, SampleMetadata.THIRD_BSN);
            return null;
        });
        new ConsentStore(dataSource, Clock.systemUTC()).create(new ConsentRecord(ConsentStore.newId(), SampleMetadata.THIRD_BSN,
                ConsentStatus.ACTIVE, Instant.now(), List.of(Provision.deny().build())));
    }

    @AfterAll
    void stop() {
        peers.close();
    }

    @Test
    void importOverDicomWebSkipsWhatIsThereAndMatchesTheSource() throws Exception {
        Fixtures.Study study = peers.loadIntoZdc("imp-web");
        BridgePeers.register(repository, SampleMetadata.BSN, study.studyUid(), BridgePeers.ZDC_URA);
        peers.hospital.upload(study.files().get(0)); // already in the hospital PACS
        JsonNode job = importAndAwait(study.studyUid(), "hospital", "done");
        assertThat(job.get("instancesTotal").asInt()).isEqualTo(4);
        assertThat(job.get("instancesDone").asInt()).isEqualTo(4);
        assertThat(job.get("instancesSkipped").asInt()).isEqualTo(1);
        assertThat(BridgePeers.contents(peers.hospital, study.studyUid(), peers.dir.resolve("hospital-web")))
                .isEqualTo(Fixtures.instances(study.files()));
        // asking again: a new job that finds everything there
        JsonNode again = importAndAwait(study.studyUid(), "hospital", "done");
        assertThat(again.get("instancesSkipped").asInt()).isEqualTo(4);
        assertThat(list("done")).contains(job.get("id").asLong(), again.get("id").asLong());
    }

    @Test
    void importOverCGet() throws Exception {
        Fixtures.Study study = peers.loadIntoZdc("imp-dimse");
        BridgePeers.register(repository, SampleMetadata.BSN, study.studyUid(), BridgePeers.ZDC_DIMSE_URA);
        JsonNode job = importAndAwait(study.studyUid(), "hospital", "done");
        assertThat(job.get("instancesSkipped").asInt()).isZero();
        assertThat(BridgePeers.contents(peers.hospital, study.studyUid(), peers.dir.resolve("hospital-dimse")))
                .isEqualTo(Fixtures.instances(study.files()));
    }

    @Test
    void unreachableTargetIsRetriedThenFailedWithItsReason() throws Exception {
        Fixtures.Study study = peers.loadIntoZdc("imp-offline");
        BridgePeers.register(repository, SampleMetadata.BSN, study.studyUid(), BridgePeers.ZDC_URA);
        JsonNode job = importAndAwait(study.studyUid(), "offline", "failed");
        assertThat(job.get("attempts").asInt()).isEqualTo(3);
        assertThat(job.get("reason").asText()).startsWith("after 3 attempts:");
        assertThat(list("failed")).contains(job.get("id").asLong());
    }

    @Test
    void refusals() throws Exception {
        Fixtures.Study denied = peers.loadIntoZdc("imp-denied");
        BridgePeers.register(repository, SampleMetadata.THIRD_BSN, denied.studyUid(), BridgePeers.ZDC_URA);
        HttpResponse<String> deniedAnswer = post(denied.studyUid(), "hospital");
        HttpResponse<String> unknownAnswer = post("2.25.123456789", "hospital");
        assertThat(deniedAnswer.statusCode()).isEqualTo(404);
        assertThat(deniedAnswer.body()).isEqualTo(unknownAnswer.body());
        assertThat(post("not-a-uid", "hospital").statusCode()).isEqualTo(400);
        Fixtures.Study study = peers.loadIntoZdc("imp-target");
        BridgePeers.register(repository, SampleMetadata.BSN, study.studyUid(), BridgePeers.ZDC_URA);
        assertThat(post(study.studyUid(), "nowhere").statusCode()).isEqualTo(400);
        assertThat(get("/api/imports/999999").statusCode()).isEqualTo(404);
        assertThat(get("/api/imports?state=bogus").statusCode()).isEqualTo(400);
    }

    private JsonNode importAndAwait(String study, String target, String state) throws Exception {
        HttpResponse<String> created = post(study, target);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        long id = JSON.readTree(created.body()).get("id").asLong();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/imports/" + id);
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last[0] = JSON.readTree(get("/api/imports/" + id).body());
            return state.equals(last[0].get("state").asText());
        });
        return last[0];
    }

    private List<Long> list(String state) throws Exception {
        JsonNode all = JSON.readTree(get("/api/imports?state=" + state).body());
        List<Long> ids = new java.util.ArrayList<>();
        all.forEach(j -> {
            assertThat(j.get("state").asText()).isEqualTo(state);
            ids.add(j.get("id").asLong());
        });
        return ids;
    }

    private HttpResponse<String> post(String study, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/imports"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"study\":\"" + study + "\",\"target\":\"" + target + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
