package nl.beeldbrug.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
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
import java.sql.PreparedStatement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application with store-and-forward switched on: an XDS transaction's ATNA record goes from IPF through the
 * durable trail to a syslog-TLS repository on 127.0.0.1, and {@code /actuator/audittrail} on the management port
 * verifies the chain and finds a row edited behind the application's back.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.audit.repository.enabled=true",
        "beeldbrug.audit.repository.host=127.0.0.1",
        "beeldbrug.audit.repository.poll-interval=200ms",
        "beeldbrug.audit.repository.initial-backoff=100ms"})
class AuditTrailIT {

    private static SyslogTlsReceiver receiver;

    @DynamicPropertySource
    static void repository(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("audit-trail-it");
        TestPki pki = TestPki.create(dir.resolve("pki"));
        TestPki.Issued gateway = pki.client("gateway", Ura.of("12345678"));
        receiver = new SyslogTlsReceiver(TestPki.sslContext(pki.server("repository"), pki.root().certificate()), 0, true);
        registry.add("beeldbrug.db.embedded-data-dir", () -> dir.resolve("postgres").toString());
        registry.add("beeldbrug.audit.repository.port", receiver::port);
        registry.add("beeldbrug.audit.repository.certificate-chain", () -> gateway.chainPem().toString());
        registry.add("beeldbrug.audit.repository.private-key", () -> gateway.keyPem().toString());
        registry.add("beeldbrug.audit.repository.trust-anchors", () -> pki.trustAnchorPem().toString());
    }

    @AfterAll
    static void stopReceiver() throws IOException {
        receiver.close();
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    AuditStore audit;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode auditTrail() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/audittrail")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    @Test
    void aTransactionIsForwardedAndAnEditedRowIsFound() throws Exception {
        SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.THIRD_BSN);
        Database.inTransaction(dataSource, c -> patients.add(c, sample.bsn()));
        FindDocumentsQuery find = new FindDocumentsQuery();
        find.setPatientId(sample.patientId());
        find.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse response = producer.requestBody("xds-iti18://127.0.0.1:" + port + "/services/registry/iti18?audit=false",
                new QueryRegistry(find, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(response).isNotNull();

        await().until(() -> receiver.messages().stream().anyMatch(m -> m.contains("ITI-18") && m.contains(sample.bsn().value())));
        // IPF audited on the request's side: the record is stamped with the (open) requester, stored and forwarded so
        assertThat(receiver.messages()).anyMatch(m -> m.contains("ITI-18") && m.contains("urn:oid:2.16.528.1.1007.3.3.99999999")
                && m.contains("TREAT"));
        assertThat(audit.forPatient(sample.bsn().value())).anyMatch(r -> "ITI-18".equals(r.eventType())
                && "99999999".equals(r.organisation()) && "open-access".equals(r.userId()) && "TREAT".equals(r.purpose()));
        await().until(() -> auditTrail().path("forwarding").path("position").asLong() == audit.latestId());
        JsonNode intact = auditTrail();
        assertThat(intact.path("chain").path("intact").asBoolean()).isTrue();
        assertThat(intact.path("chain").path("recordsChecked").asLong()).isEqualTo(audit.count());
        assertThat(intact.path("forwarding").path("destination").asText()).isEqualTo("atna");
        assertThat(receiver.sequenceIds()).doesNotHaveDuplicates();

        long edited = Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update audit_event set outcome = 'Success', message = message || ' ' where id = (select min(id) from audit_event)"
                            + " returning id")) {
                var rs = ps.executeQuery();
                rs.next();
                return rs.getLong(1);
            }
        });
        JsonNode broken = auditTrail();
        assertThat(broken.path("chain").path("intact").asBoolean()).isFalse();
        assertThat(broken.path("chain").path("firstBrokenId").asLong()).isEqualTo(edited);
        assertThat(broken.path("chain").path("problem").asText()).isEqualTo("content changed");
        assertThat(broken.toString()).doesNotContain(sample.bsn().value());
    }
}
