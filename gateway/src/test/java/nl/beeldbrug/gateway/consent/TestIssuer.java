package nl.beeldbrug.gateway.consent;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A token issuer made by the test: an RSA key whose public half is written to a JWKS file the gateway is
 * configured with, and IUA access tokens (ITI-72 claims) naming a requesting organisation, purpose and UZI role.
 */
final class TestIssuer {

    static final String ISSUER = "https://sts.consent-property.test";
    static final String AUDIENCE = "https://beeldbrug.consent-property.test";
    private static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    private static final String AI_SYSTEM = "https://beeldbrug.nl/fhir/CodeSystem/purpose-of-use";
    private static final String UZI_ROLES = "urn:oid:2.16.840.1.113883.2.4.15.111";

    private final RSAKey key;
    private final Path jwksFile;

    private TestIssuer(RSAKey key, Path jwksFile) {
        this.key = key;
        this.jwksFile = jwksFile;
    }

    /** A fresh key, its public JWKS written under {@code target/}. */
    static TestIssuer create() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("consent-property-" + UUID.randomUUID()).generate();
            Files.createDirectories(Path.of("target"));
            Path file = Files.createTempFile(Path.of("target"), "consent-property-jwks", ".json");
            Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
            return new TestIssuer(key, file.toAbsolutePath());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path jwksFile() {
        return jwksFile;
    }

    /** A bearer token for {@code ura}, valid for {@code lifetime}; {@code purposeCode} TREAT, COC, HRESCH or AI. */
    String token(String ura, String purposeCode, String uziRole, String user, Duration lifetime) {
        Instant now = Instant.now();
        Map<String, Object> iua = new LinkedHashMap<>();
        iua.put("subject_role", List.of(Map.of("system", UZI_ROLES, "code", uziRole)));
        iua.put("purpose_of_use", List.of(Map.of("system", "AI".equals(purposeCode) ? AI_SYSTEM : ACT_REASON, "code", purposeCode)));
        iua.put("subject_organization_id", "urn:oid:2.16.528.1.1007.3.3." + ura);
        iua.put("national_provider_identifier", user);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .audience(List.of(AUDIENCE))
                .issueTime(Date.from(now.minusSeconds(5)))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim("extensions", Map.of("ihe_iua", iua))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return "Bearer " + jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
