package nl.beeldbrug.gateway.audit;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import nl.beeldbrug.gateway.security.IuaClaims;
import nl.beeldbrug.gateway.security.Tokens;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
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
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Audit completeness for requests refused at the edge (issue 6; the tokens-on counterpart of
 * {@link AuditCompletenessIT}, which runs in open mode): every missing or bad access token on FHIR, SOAP, DICOMweb
 * and CDS Hooks adds exactly one record — a failed user authentication (DCM 110114, Login) with the refusal's
 * outcome (4 for a missing or expired token, 8 for one that may be forged or misdirected), no organisation (no
 * client certificate here; a refused token's claims are not believed), no purpose, no patient even when the path
 * names one — and the chain stays intact. Requests refused before any token is looked at — a body above the size
 * limit (413), a SOAP request of the wrong media type (415) — add exactly one Security Alert (110113, Access Control
 * Decision 110147, outcome 4) each, without the body's patient.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.security.tokens.enabled=true",
        "beeldbrug.http.max-request-size=64KB",
        "beeldbrug.security.tokens.audiences[0]=" + Tokens.AUDIENCE})
class RefusedRequestAuditIT {

    private static final ECKey KEY = Tokens.ec("completeness-key");
    private static final String BSN = "999999990";

    @DynamicPropertySource
    static void tokens(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-audit-refused-postgres");
        Path jwks = Files.createTempFile(Files.createDirectories(Path.of("target")), "refused-jwks", ".json");
        Files.writeString(jwks, new JWKSet(KEY.toPublicJWK()).toString());
        registry.add("beeldbrug.security.tokens.issuers[0].id", () -> Tokens.ISSUER);
        registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", jwks::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    AuditStore trail;

    @Test
    void everyRefusedTokenAddsExactlyOneRecordWithItsOutcome() throws Exception {
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("missing", null);
        tokens.put("malformed", "Bearer not-a-jwt");
        tokens.put("bad signature", "Bearer " + Tokens.sign(Tokens.ec("completeness-key"), JWSAlgorithm.ES256, Tokens.claims(now).build()));
        tokens.put("wrong issuer", bearer(Tokens.claims(now).issuer("https://other-sts.example.test")));
        tokens.put("wrong audience", bearer(Tokens.claims(now).audience("https://elsewhere.example.test")));
        tokens.put("expired", bearer(Tokens.claims(now).issueTime(Date.from(now.minusSeconds(900)))
                .notBeforeTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(300)))));
        tokens.put("missing purpose", bearer(Tokens.withIua(Tokens.claims(now), IuaClaims.PURPOSE_OF_USE, null)));
        Map<String, HttpRequest.Builder> endpoints = new LinkedHashMap<>();
        String base = "http://127.0.0.1:" + port;
        endpoints.put("GET /fhir/Patient/…", HttpRequest.newBuilder(URI.create(base + "/fhir/Patient/" + BSN)).GET());
        endpoints.put("GET /fhir/ImagingStudy", HttpRequest.newBuilder(URI.create(base + "/fhir/ImagingStudy?patient=" + BSN)).GET());
        endpoints.put("POST /services/registry/iti18", HttpRequest.newBuilder(URI.create(base + "/services/registry/iti18"))
                .header("Content-Type", "application/soap+xml; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("<x/>")));
        endpoints.put("GET /dicomweb/studies/…", HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies/1.2.3.4/metadata")).GET());
        endpoints.put("GET /cds-services", HttpRequest.newBuilder(URI.create(base + "/cds-services")).GET());
        HttpClient client = HttpClient.newHttpClient();
        long start = trail.count();
        int refused = 0;
        for (var endpoint : endpoints.entrySet()) {
            for (var token : tokens.entrySet()) {
                String what = endpoint.getKey() + " with token " + token.getKey();
                HttpRequest.Builder request = endpoint.getValue().copy();
                if (token.getValue() != null) {
                    request.header("Authorization", token.getValue());
                }
                long before = trail.latestId();
                HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(what).isEqualTo(401);
                await().atMost(Duration.ofSeconds(20)).until(() -> trail.latestId() > before);
                List<StoredAuditEvent> added = trail.after(before, 10);
                assertThat(added).as(what + ": records added").hasSize(1);
                AuditRecord record = added.get(0).record();
                assertThat(record.eventId()).as(what).isEqualTo("110114");
                assertThat(record.eventType()).as(what).isEqualTo("110122");
                assertThat(record.outcome()).as(what).isEqualTo(
                        token.getKey().equals("missing") || token.getKey().equals("expired") ? "MinorFailure" : "SeriousFailure");
                assertThat(record.organisation()).as(what).isNull();
                assertThat(record.purpose()).as(what).isNull();
                assertThat(record.patientIds()).as(what).isEmpty();
                assertThat(record.message()).as(what).contains(endpoint.getKey()).doesNotContain(BSN).doesNotContain("1.2.3.4");
                refused++;
            }
        }
        long total = trail.count();
        assertThat(total).isEqualTo(start + refused);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> trail.count() == total);
        assertThat(trail.verify()).isTrue();
    }

    @Test
    void everyRequestRefusedBeforeItsTokenAddsExactlyOneRecord() throws Exception {
        String base = "http://127.0.0.1:" + port;
        String padding = "x".repeat(80 * 1024);
        String soap = "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><patient>" + BSN
                + "</patient><pad>" + padding + "</pad></env:Body></env:Envelope>";
        String fhir = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":"
                + "\"Patient\",\"identifier\":[{\"value\":\"" + BSN + "\"}],\"id\":\"" + padding + "\"}}]}";
        record Refused(String transaction, int status, HttpRequest request) {
        }
        List<Refused> requests = List.of(
                new Refused("POST /services/registry/iti18", 413, HttpRequest.newBuilder(URI.create(base + "/services/registry/iti18"))
                        .header("Content-Type", "application/soap+xml; charset=UTF-8")
                        .header("Authorization", "Bearer not-a-jwt")
                        .POST(HttpRequest.BodyPublishers.ofString(soap)).build()),
                new Refused("POST /fhir", 413, HttpRequest.newBuilder(URI.create(base + "/fhir"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(fhir)).build()),
                new Refused("POST /fhir/Patient/…", 413, HttpRequest.newBuilder(URI.create(base + "/fhir/Patient/" + BSN))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString(fhir)).build()),
                new Refused("POST /services/registry/iti18", 415, HttpRequest.newBuilder(URI.create(base + "/services/registry/iti18"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("<patient>" + BSN + "</patient>")).build()));
        HttpClient client = HttpClient.newHttpClient();
        long start = trail.count();
        for (Refused refused : requests) {
            String what = refused.transaction() + " refused with " + refused.status();
            long before = trail.latestId();
            HttpResponse<String> answer = client.send(refused.request(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(what).isEqualTo(refused.status());
            await().atMost(Duration.ofSeconds(20)).until(() -> trail.latestId() > before);
            List<StoredAuditEvent> added = trail.after(before, 10);
            assertThat(added).as(what + ": records added").hasSize(1);
            AuditRecord record = added.get(0).record();
            assertThat(record.eventId()).as(what).isEqualTo("110113");
            assertThat(record.eventType()).as(what).isEqualTo("110147");
            assertThat(record.outcome()).as(what).isEqualTo("MinorFailure");
            assertThat(record.organisation()).as(what).isNull();
            assertThat(record.purpose()).as(what).isNull();
            assertThat(record.patientIds()).as(what).isEmpty();
            assertThat(record.message()).as(what).contains(refused.transaction()).contains("(" + refused.status() + ")")
                    .doesNotContain(BSN);
        }
        long total = trail.count();
        assertThat(total).isEqualTo(start + requests.size());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> trail.count() == total);
        assertThat(trail.verify()).isTrue();
    }

    private static String bearer(JWTClaimsSet.Builder claims) {
        return "Bearer " + Tokens.sign(KEY, JWSAlgorithm.ES256, claims.build());
    }
}
