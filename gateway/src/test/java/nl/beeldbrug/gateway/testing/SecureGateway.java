package nl.beeldbrug.gateway.testing;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import nl.beeldbrug.gateway.security.Tokens;
import nl.beeldbrug.registry.consent.testing.TestPki;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A gateway IT's secure mode: mutual TLS with the test PKI (anchors and CRL) and IUA tokens of one test issuer. */
public final class SecureGateway {

    private SecureGateway() {
    }

    /**
     * Registers TLS (server certificate "gateway" of {@code pki}, its trust anchors and CRL) and required tokens
     * ({@link Tokens#AUDIENCE}, issuer {@link Tokens#ISSUER} with {@code issuerKey}'s public key in a JWKS file
     * under {@code dir}).
     */
    public static void register(DynamicPropertyRegistry registry, TestPki pki, ECKey issuerKey, Path dir) throws IOException {
        TestPki.Issued server = pki.server("gateway");
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(issuerKey.toPublicJWK()).toString());
        Path crls = pki.crlPem();
        registry.add("beeldbrug.security.tls.enabled", () -> "true");
        registry.add("beeldbrug.security.tls.certificate-chain", () -> server.chainPem().toString());
        registry.add("beeldbrug.security.tls.private-key", () -> server.keyPem().toString());
        registry.add("beeldbrug.security.tls.trust-anchors", () -> pki.trustAnchorPem().toString());
        registry.add("beeldbrug.security.tls.crls[0]", crls::toString);
        registry.add("beeldbrug.security.tokens.enabled", () -> "true");
        registry.add("beeldbrug.security.tokens.audiences[0]", () -> Tokens.AUDIENCE);
        registry.add("beeldbrug.security.tokens.issuers[0].id", () -> Tokens.ISSUER);
        registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", jwks::toString);
    }
}
