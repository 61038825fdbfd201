package nl.beeldbrug.conformance.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.RawSoap;
import nl.beeldbrug.conformance.support.WirePki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The packaged jar in secure mode (mutual TLS + IUA tokens, PKI and JWKS files generated here), over the wire,
 * per endpoint (FHIR ImagingStudy search, ITI-18 with the README sample, WADO-RS): an untrusted, expired, revoked or
 * server-only client certificate, or none, fails the TLS handshake; bad tokens are 401 with
 * {@code WWW-Authenticate} in the protocol of the endpoint; a good certificate with a good token is served.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureModeIT {

    private static final String URA = "12345678";
    private static final String ISSUER = "https://sts.conformance.test";
    private static final String AUDIENCE = "https://beeldbrug.conformance.test";

    private Gateway gateway;
    private WirePki pki;
    private ECKey issuerKey;
    private WirePki.Issued good;
    private WirePki.Issued revoked;

    @BeforeAll
    void start() throws Exception {
        Path work = Gateway.workDir("secure-mode");
        pki = new WirePki(work.resolve("pki"));
        good = pki.client("good-client", URA);
        revoked = pki.client("revoked-client", URA);
        pki.revoke(revoked);
        WirePki.Issued server = pki.server("gateway");
        issuerKey = new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate();
        Path jwks = work.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(issuerKey.toPublicJWK()).toString());
        Map<String, String> options = new LinkedHashMap<>();
        options.put("beeldbrug.demo.enabled", "false");
        options.put("beeldbrug.security.tls.enabled", "true");
        options.put("beeldbrug.security.tls.certificate-chain", server.chainPem().toString());
        options.put("beeldbrug.security.tls.private-key", server.keyPem().toString());
        options.put("beeldbrug.security.tls.trust-anchors", pki.trustAnchorPem().toString());
        options.put("beeldbrug.security.tls.crls[0]", pki.crlPem().toString());
        options.put("beeldbrug.security.tokens.enabled", "true");
        options.put("beeldbrug.security.tokens.audiences[0]", AUDIENCE);
        options.put("beeldbrug.security.tokens.issuers[0].id", ISSUER);
        options.put("beeldbrug.security.tokens.issuers[0].jwks-file", jwks.toString());
        gateway = Gateway.start(work, options);
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fhir", "soap"})
    void aGoodCertificateAndTokenAreServed(String endpoint) throws Exception {
        HttpResponse<String> answer = call(endpoint, pki.clientContext(good), "Bearer " + sign(claims(Instant.now())));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains(endpoint.equals("fhir") ? "\"resourceType\":\"Bundle\"" : "AdhocQueryResponse");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fhir", "soap", "dicomweb"})
    void refusedCertificatesFailTheHandshake(String endpoint) {
        String token = "Bearer " + sign(claims(Instant.now()));
        Map<String, SSLContext> refused = new LinkedHashMap<>();
        refused.put("foreign CA", pki.clientContext(pki.foreignClient("foreign-" + endpoint, URA)));
        refused.put("expired", pki.clientContext(pki.expiredClient("expired-" + endpoint, URA)));
        refused.put("revoked", pki.clientContext(revoked));
        refused.put("server-only purpose", pki.clientContext(pki.serverOnlyClient("server-only-" + endpoint, URA)));
        refused.put("no certificate", pki.clientContext(null));
        refused.forEach((name, tls) -> assertThatThrownBy(() -> call(endpoint, tls, token)).as(name).isInstanceOf(IOException.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fhir", "soap", "dicomweb"})
    void badTokensAre401(String endpoint) throws Exception {
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("bad signature", sign(new ECKeyGenerator(Curve.P_256).keyID("sts-1").generate(), claims(now).build()));
        tokens.put("wrong issuer", sign(claims(now).issuer("https://other.conformance.test")));
        tokens.put("wrong audience", sign(claims(now).audience("https://elsewhere.conformance.test")));
        tokens.put("expired", sign(claims(now).issueTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(300)))));
        tokens.put("missing purpose", sign(claims(now).claim("extensions", Map.of("ihe_iua", iua(false)))));
        for (var token : tokens.entrySet()) {
            HttpResponse<String> answer = call(endpoint, pki.clientContext(good), "Bearer " + token.getValue());
            assertThat(answer.statusCode()).as(token.getKey()).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate").orElse("")).as(token.getKey())
                    .startsWith("Bearer realm=\"beeldbrug\", error=\"invalid_token\"");
            assertShaped(endpoint, answer);
        }
        HttpResponse<String> missing = call(endpoint, pki.clientContext(good), null);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"beeldbrug\"");
        assertShaped(endpoint, missing);
    }

    @org.junit.jupiter.api.Test
    void aGoodCallToWadoRsPassesBothChecks() throws Exception {
        HttpResponse<String> answer = call("dicomweb", pki.clientContext(good), "Bearer " + sign(claims(Instant.now())));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404); // an unregistered study: past TLS and token
    }

    private static void assertShaped(String endpoint, HttpResponse<String> answer) {
        if (endpoint.equals("dicomweb")) {
            assertThat(answer.body()).isNotBlank();
        } else if (endpoint.equals("fhir")) {
            assertThat(answer.body()).contains("\"resourceType\":\"OperationOutcome\"");
        } else {
            assertThat(RawSoap.faultCode(answer.body())).isEqualTo("soap:Sender");
        }
    }

    private HttpResponse<String> call(String endpoint, SSLContext tls, String authorization) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String base = "https://127.0.0.1:" + gateway.port();
        HttpRequest.Builder request = endpoint.equals("dicomweb")
                ? HttpRequest.newBuilder(URI.create(base + "/dicomweb/studies/1.2.826.0.1.3680043.2.1125.404.1/metadata")).GET()
                : endpoint.equals("fhir")
                ? HttpRequest.newBuilder(URI.create(base + "/fhir/ImagingStudy?patient.identifier=http://fhir.nl/fhir/NamingSystem/bsn%7C999990019"))
                        .header("Accept", "application/fhir+json").GET()
                : HttpRequest.newBuilder(URI.create(base + "/services/registry/iti18"))
                        .header("Content-Type", RawSoap.SOAP_12)
                        .POST(HttpRequest.BodyPublishers.ofString(RawSoap.sample("iti18-find-documents.xml")));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> iua(boolean withPurpose) {
        Map<String, Object> iua = new LinkedHashMap<>();
        iua.put("subject_role", List.of(Map.of("system", "urn:oid:2.16.840.1.113883.2.4.15.111", "code", "01.015")));
        if (withPurpose) {
            iua.put("purpose_of_use", List.of(Map.of("system", "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code", "TREAT")));
        }
        iua.put("subject_organization_id", "urn:oid:2.16.528.1.1007.3.3." + URA);
        return iua;
    }

    private static JWTClaimsSet.Builder claims(Instant now) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("dr-conformance").audience(AUDIENCE)
                .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("extensions", Map.of("ihe_iua", iua(true)));
    }

    private String sign(JWTClaimsSet.Builder claims) {
        return sign(issuerKey, claims.build());
    }

    private static String sign(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
