package nl.beeldbrug.gateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.gateway.testing.SecureGateway;
import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS + IUA tokens on the running gateway (in process, random port, a test PKI and a JWKS file made
 * here), per endpoint: FHIR ({@code /fhir/ImagingStudy}), SOAP (ITI-18 {@code /services/registry/iti18}) and
 * WADO-RS ({@code /dicomweb}; its good call is the 404 of an unregistered study, past both filters).
 * A refused client certificate fails the TLS handshake (the client sees an IOException; the gateway counts
 * the refusal by reason in {@code beeldbrug.tls.client.refused}); a refused token is a 401 with
 * {@code WWW-Authenticate} and a FHIR OperationOutcome or SOAP 1.2 fault, and exactly one audit record (a failed
 * user authentication of the certificate's organisation). The management port stays plain HTTP.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false"})
class MutualTlsIT {

    private static final Ura URA = Ura.of(Tokens.URA);
    private static final Ura OTHER_URA = Ura.of("87654321");
    private static final Path DIR = directory();
    private static final TestPki PKI = TestPki.create(DIR.resolve("pki"));
    private static final ECKey ISSUER_KEY = Tokens.ec("issuer-key");
    private static final TestPki.Issued GOOD = PKI.client("good-client", URA);
    private static final TestPki.Issued REVOKED = revoked();
    private static final String ITI18 = sample();

    @DynamicPropertySource
    static void secure(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-mtls-postgres");
        SecureGateway.register(registry, PKI, ISSUER_KEY, DIR);
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    MeterRegistry meters;
    @Autowired
    AuditStore audit;

    // ------------------------------------------------------------------------------------------ certificates

    @ParameterizedTest
    @ValueSource(strings = {"fhir", "soap", "dicomweb"})
    void aGoodCertificateAndTokenAreServed(String endpoint) throws Exception {
        HttpResponse<String> answer = call(endpoint, client(GOOD), bearer(Tokens.claims(Instant.now())));
        if (endpoint.equals("dicomweb")) { // past both filters: the WADO-RS answer for a study nobody registered
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
            return;
        }
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains(endpoint.equals("fhir") ? "\"resourceType\":\"Bundle\"" : "AdhocQueryResponse");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fhir", "soap", "dicomweb"})
    void refusedCertificatesFailTheHandshake(String endpoint) {
        Map<String, TestPki.Issued> refused = Map.of(
                "UNTRUSTED", PKI.foreignClient("foreign-" + endpoint, URA),
                "EXPIRED", PKI.expiredClient("expired-" + endpoint, URA),
                "REVOKED", REVOKED,
                "NOT_FOR_CLIENT_AUTH", PKI.serverOnly("server-only-" + endpoint, URA));
        refused.forEach((reason, certificate) -> {
            double before = refusals(reason);
            assertThatThrownBy(() -> call(endpoint, client(certificate), bearer(Tokens.claims(Instant.now()))))
                    .as(reason).isInstanceOf(IOException.class);
            assertThat(refusals(reason)).as(reason).isGreaterThan(before); // a GET may be retried once by the client
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"fhir", "soap", "dicomweb"})
    void noCertificateFailsTheHandshake(String endpoint) {
        SSLContext anonymous = TestPki.sslContext(null, PKI.root().certificate());
        assertThatThrownBy(() -> call(endpoint, anonymous, bearer(Tokens.claims(Instant.now()))))
                .isInstanceOf(IOException.class);
    }

    @Test
    void theManagementPortStaysPlainHttp() throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + managementPort + "/actuator/health/liveness")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------------------------------------ tokens

    @ParameterizedTest
    @ValueSource(strings = {"fhir", "soap", "dicomweb"})
    void badTokensAre401InTheProtocolOfTheEndpoint(String endpoint) throws Exception {
        Instant now = Instant.now();
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        tokens.put("bad signature", Tokens.sign(Tokens.ec("issuer-key"), JWSAlgorithm.ES256, Tokens.claims(now).build()));
        tokens.put("wrong issuer", sign(Tokens.claims(now).issuer("https://other-sts.example.test")));
        tokens.put("wrong audience", sign(Tokens.claims(now).audience("https://elsewhere.example.test")));
        tokens.put("expired", sign(Tokens.claims(now).issueTime(Date.from(now.minusSeconds(900)))
                .notBeforeTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(300)))));
        tokens.put("missing purpose", sign(Tokens.withIua(Tokens.claims(now), IuaClaims.PURPOSE_OF_USE, null)));
        tokens.put("another organisation", sign(Tokens.withIua(Tokens.claims(now), IuaClaims.SUBJECT_ORGANIZATION_ID,
                "urn:oid:2.16.528.1.1007.3.3." + OTHER_URA.value())));
        tokens.put("bound to another certificate", sign(Tokens.claims(now)
                .claim("cnf", Map.of("x5t#S256", AccessTokenVerifier.thumbprint(PKI.client("someone-else-" + endpoint, URA).certificate())))));
        for (var token : tokens.entrySet()) {
            long before = audit.latestId();
            HttpResponse<String> answer = call(endpoint, client(GOOD), "Bearer " + token.getValue());
            assertThat(answer.statusCode()).as(token.getKey()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate").orElse(""))
                    .as(token.getKey()).startsWith("Bearer realm=\"beeldbrug\", error=\"invalid_token\", error_description=");
            assertProtocolShaped(endpoint, answer);
            oneRefusalRecord(before, endpoint + ": " + token.getKey(),
                    token.getKey().equals("expired") ? "MinorFailure" : "SeriousFailure", URA);
        }
        long before = audit.latestId();
        HttpResponse<String> missing = call(endpoint, client(GOOD), null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"beeldbrug\"");
        assertProtocolShaped(endpoint, missing);
        oneRefusalRecord(before, endpoint + ": no token", "MinorFailure", URA);
    }

    @Test
    void aTokenBoundToThePresentedCertificateIsServed() throws Exception {
        String bound = bearer(Tokens.claims(Instant.now()).claim("cnf", Map.of("x5t#S256", AccessTokenVerifier.thumbprint(GOOD.certificate()))));
        assertThat(call("fhir", client(GOOD), bound).statusCode()).isEqualTo(200);
    }

    @Test
    void theOrganisationMismatchNamesItsReason() throws Exception {
        long before = audit.latestId();
        HttpResponse<String> answer = call("fhir", client(PKI.client("other-organisation", OTHER_URA)), bearer(Tokens.claims(Instant.now())));
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate").orElse(""))
                .contains("is not the organisation of the client certificate");
        oneRefusalRecord(before, "organisation mismatch", "SeriousFailure", OTHER_URA); // the certificate's, not the token's
    }

    /**
     * The refused request's one audit record ({@link RefusalAudit}): a failed user authentication (110114, Login)
     * naming the organisation of the checked certificate, no user, purpose or patient.
     */
    private void oneRefusalRecord(long before, String what, String outcome, Ura organisation) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !refusalRecords(before).isEmpty());
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> refusalRecords(before).size() == 1);
        AuditRecord record = refusalRecords(before).get(0);
        assertThat(record.eventType()).as(what).isEqualTo("110122");
        assertThat(record.outcome()).as(what).isEqualTo(outcome);
        assertThat(record.organisation()).as(what).isEqualTo(organisation.value());
        assertThat(record.userId()).as(what).isEqualTo(RefusalAudit.UNAUTHENTICATED);
        assertThat(record.purpose()).as(what).isNull();
        assertThat(record.patientIds()).as(what).isEmpty();
    }

    private List<AuditRecord> refusalRecords(long before) {
        return audit.after(before, 100).stream().map(StoredAuditEvent::record).filter(r -> "110114".equals(r.eventId())).toList();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void assertProtocolShaped(String endpoint, HttpResponse<String> answer) {
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (endpoint.equals("dicomweb")) {
            assertThat(type).startsWith("text/plain");
            assertThat(answer.body()).isNotBlank();
        } else if (endpoint.equals("fhir")) {
            assertThat(type).startsWith("application/fhir+json");
            assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"").contains("\"code\":\"login\"");
        } else {
            assertThat(type).startsWith("application/soap+xml");
            assertThat(answer.body()).contains("http://www.w3.org/2003/05/soap-envelope")
                    .contains("<soap:Value>soap:Sender</soap:Value>");
        }
    }

    private HttpResponse<String> call(String endpoint, SSLContext tls, String authorization) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest.Builder request;
        if (endpoint.equals("dicomweb")) {
            request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/dicomweb/studies/1.2.826.0.1.3680043.2.1125.404.1/metadata"))
                    .header("Accept", "application/dicom+json").GET();
        } else if (endpoint.equals("fhir")) {
            request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/fhir/ImagingStudy?patient.identifier="
                    + "http://fhir.nl/fhir/NamingSystem/bsn%7C999990019")).header("Accept", "application/fhir+json").GET();
        } else {
            request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/services/registry/iti18"))
                    .header("Content-Type", "application/soap+xml; charset=UTF-8")
                    .POST(HttpRequest.BodyPublishers.ofString(ITI18));
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static SSLContext client(TestPki.Issued identity) {
        return TestPki.presenting(identity, PKI.root().certificate());
    }

    private double refusals(String reason) {
        var counter = meters.find("beeldbrug.tls.client.refused").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String sign(JWTClaimsSet.Builder claims) {
        return Tokens.sign(ISSUER_KEY, JWSAlgorithm.ES256, claims.build());
    }

    private static String bearer(JWTClaimsSet.Builder claims) {
        return "Bearer " + sign(claims);
    }

    private static TestPki.Issued revoked() {
        TestPki.Issued revoked = PKI.client("revoked-client", URA);
        PKI.revoke(revoked);
        return revoked;
    }

    private static Path directory() {
        try {
            Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(Path.of("target"), "it-mtls");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sample() {
        try {
            return Files.readString(Path.of("../docs/samples/iti18-find-documents.xml"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
