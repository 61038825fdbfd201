package nl.beeldbrug.gateway.audit;

import ca.uhn.fhir.context.FhirContext;
import nl.beeldbrug.gateway.fhir.R4Validation;
import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway with store-and-forward on while the syslog-TLS audit repository is down: a load of 2,000 FHIR requests
 * from four threads over loopback, then the repository comes up and every record arrives exactly once, in chain
 * order. With privacy officers and consent registrars configured as another organisation, the open requester is
 * refused AuditEvent and Consent with 403 + OperationOutcome, and each refusal is on record.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.security.privacy-officers=12345678",
        "beeldbrug.security.consent-registrars=12345678,87654321",
        "beeldbrug.audit.repository.enabled=true",
        "beeldbrug.audit.repository.host=127.0.0.1",
        "beeldbrug.audit.repository.poll-interval=200ms",
        "beeldbrug.audit.repository.initial-backoff=100ms",
        "beeldbrug.audit.repository.max-backoff=500ms"})
class AuditUnderLoadIT {

    private static final int REQUESTS = 2_000;
    private static TestPki pki;
    private static int repositoryPort;
    private static SyslogTlsReceiver receiver;

    @DynamicPropertySource
    static void repository(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("target"), "audit-load-it");
        pki = TestPki.create(dir.resolve("pki"));
        TestPki.Issued gateway = pki.client("gateway", Ura.of("12345678"));
        repositoryPort = SyslogTlsReceiver.freePort(); // nothing listens yet: the repository is down
        registry.add("beeldbrug.db.embedded-data-dir", () -> dir.resolve("postgres").toString());
        registry.add("beeldbrug.audit.repository.port", () -> repositoryPort);
        registry.add("beeldbrug.audit.repository.certificate-chain", () -> gateway.chainPem().toString());
        registry.add("beeldbrug.audit.repository.private-key", () -> gateway.keyPem().toString());
        registry.add("beeldbrug.audit.repository.trust-anchors", () -> pki.trustAnchorPem().toString());
    }

    @AfterAll
    static void stopReceiver() throws IOException {
        if (receiver != null) {
            receiver.close();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    AuditStore audit;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusedPrivilegedResourcesAreForbiddenAndOnRecord() throws Exception {
        String bsn = SampleMetadata.BSN.value();
        for (String[] request : List.of(new String[]{"GET", "AuditEvent?patient=" + bsn},
                new String[]{"GET", "AuditEvent?agent=Organization/99999999"},
                new String[]{"GET", "Consent?patient=" + bsn},
                new String[]{"GET", "Consent/some-consent"},
                new String[]{"POST", "Consent"})) {
            long before = audit.latestId();
            HttpResponse<String> response = send(request[0], request[1]);
            assertThat(response.statusCode()).as(String.join(" ", request)).isEqualTo(403);
            OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, response.body());
            R4Validation.assertValid(outcome);
            assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("not permitted");
            await().until(() -> audit.latestId() > before);
            List<StoredAuditEvent> added = audit.after(before, 10);
            assertThat(added).as(String.join(" ", request)).hasSize(1);
            AuditRecord record = added.get(0).record();
            assertThat(record.outcome()).isEqualTo("MinorFailure");
            assertThat(record.organisation()).isEqualTo("99999999");
            assertThat(record.message()).contains("HTTP 403");
        }
        assertThat(send("GET", "ImagingStudy?patient=" + bsn).statusCode()).isEqualTo(200); // other resources as before
    }

    @Test
    void everyRecordOfALoadWhileTheRepositoryIsDownArrivesOnceInOrder() throws Exception {
        String query = "ImagingStudy?patient=" + SampleMetadata.BSN.value();
        long before = audit.count();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                answers.add(threads.submit(() -> send("GET", query).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            threads.shutdown();
        }
        await().atMost(Duration.ofMinutes(1)).until(() -> audit.count() >= before + REQUESTS);
        assertThat(audit.count()).isEqualTo(before + REQUESTS);

        receiver = new SyslogTlsReceiver(TestPki.sslContext(pki.server("repository"), pki.root().certificate()), repositoryPort, true);
        await().atMost(Duration.ofMinutes(5)).until(() -> receiver.messages().size() >= audit.count());
        List<Long> stored = audit.after(0, 100_000).stream().map(StoredAuditEvent::id).toList();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> receiver.messages().size() == stored.size());
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(stored).doesNotHaveDuplicates();
        assertThat(receiver.errors()).isEmpty();
        assertThat(audit.verify()).isTrue();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/" + path))
                .header("Accept", "application/fhir+json");
        if ("POST".equals(method)) {
            request.header("Content-Type", "application/fhir+json").POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Consent\"}"));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
