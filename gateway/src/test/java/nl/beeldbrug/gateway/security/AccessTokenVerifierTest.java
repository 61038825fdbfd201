package nl.beeldbrug.gateway.security;

import nl.beeldbrug.registry.testing.MutableClock;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static nl.beeldbrug.gateway.security.Tokens.bearer;
import static nl.beeldbrug.gateway.security.Tokens.claims;
import static nl.beeldbrug.gateway.security.Tokens.coding;
import static nl.beeldbrug.gateway.security.Tokens.sign;
import static nl.beeldbrug.gateway.security.Tokens.withIua;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessTokenVerifierTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static RSAKey rsa;
    private static RSAKey otherRsa;
    private static ECKey ec;
    private static X509Certificate clientCertificate;
    private static X509Certificate otherCertificate;

    private final MutableClock clock = new MutableClock(NOW);

    @BeforeAll
    static void keys(@TempDir Path pki) {
        rsa = Tokens.rsa("rsa-1");
        otherRsa = Tokens.rsa("rsa-1"); // same kid, other key: a forger's
        ec = Tokens.ec("ec-1");
        TestPki testPki = TestPki.create(pki);
        clientCertificate = testPki.client("client", Ura.of(Tokens.URA)).certificate();
        otherCertificate = testPki.client("other", Ura.of("87654321")).certificate();
    }

    private AccessTokenVerifier verifier(CertificateBinding binding) {
        return new AccessTokenVerifier(Map.of(Tokens.ISSUER, IssuerKeys.of(new JWKSet(List.of(rsa, ec)))),
                List.of(Tokens.AUDIENCE), AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ofSeconds(30), binding, clock);
    }

    private AccessContext verify(String token) throws InvalidTokenException {
        return verifier(CertificateBinding.IF_PRESENT).verify(bearer(token), null);
    }

    private static TokenFailure failureOf(ThrowingVerification verification) {
        try {
            verification.run();
        } catch (InvalidTokenException e) {
            return e.failure();
        }
        throw new AssertionError("the token was accepted");
    }

    @FunctionalInterface
    interface ThrowingVerification {
        void run() throws InvalidTokenException;
    }

    @Test
    void aValidTokenGivesTheWholeContext() throws InvalidTokenException {
        AccessContext context = verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).build()));

        assertThat(context.issuer()).isEqualTo(Tokens.ISSUER);
        assertThat(context.subject()).isEqualTo("user-4711");
        assertThat(context.professionalId()).isEqualTo("900012345");
        assertThat(context.uziRole()).isEqualTo("01.015");
        assertThat(context.purpose()).isEqualTo(PurposeOfUse.TREAT);
        assertThat(context.organisation()).isEqualTo(Ura.of(Tokens.URA));
        assertThat(context.homeCommunityId()).isEqualTo("urn:oid:2.16.528.1.1007.3.3.12345678.1");
        assertThat(context.clientId()).isEqualTo("pacs-viewer");
        assertThat(context.tokenId()).isEqualTo("token-1");
        assertThat(context.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(context.certificateBound()).isFalse();

        var request = context.requestContext(Ura.of("11112222"), OrganisationType.HOSPITAL, NOW);
        assertThat(request.uziRole()).isEqualTo("01.015");
        assertThat(request.userId()).isEqualTo("900012345");
        assertThat(request.purpose()).isEqualTo(PurposeOfUse.TREAT);
    }

    @Test
    void es256AndPs256AreAcceptedAndTheSubjectStandsInForAMissingProviderId() throws InvalidTokenException {
        assertThat(verify(sign(ec, JWSAlgorithm.ES256, claims(NOW).build())).purpose()).isEqualTo(PurposeOfUse.TREAT);
        AccessContext ps = verify(sign(rsa, JWSAlgorithm.PS256,
                withIua(claims(NOW), IuaClaims.NATIONAL_PROVIDER_IDENTIFIER, null).build()));
        assertThat(ps.professionalId()).isEqualTo("user-4711");
    }

    @Test
    void purposesMapOntoTheConsentEngine() throws InvalidTokenException {
        Map<Map<String, Object>, PurposeOfUse> cases = Map.of(
                coding(IuaClaims.ACT_REASON, "COC"), PurposeOfUse.COC,
                coding("urn:oid:2.16.840.1.113883.5.8", "TREAT"), PurposeOfUse.TREAT,
                coding(IuaClaims.ACT_REASON, "HRESCH"), PurposeOfUse.RESEARCH,
                coding(IuaClaims.BEELDBRUG_PURPOSE, "AI"), PurposeOfUse.AI);
        for (var entry : cases.entrySet()) {
            // a single Coding object is read like an array of one
            String token = sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.PURPOSE_OF_USE, entry.getKey()).build());
            assertThat(verify(token).purpose()).as(entry.getKey().toString()).isEqualTo(entry.getValue());
        }
    }

    @Test
    void aSignatureByAnotherKeyWithTheSameKidIsRefused() {
        assertThat(failureOf(() -> verify(sign(otherRsa, JWSAlgorithm.RS256, claims(NOW).build()))))
                .isEqualTo(TokenFailure.BAD_SIGNATURE);
    }

    @Test
    void aChangedPayloadBreaksTheSignature() {
        String[] parts = sign(rsa, JWSAlgorithm.RS256, claims(NOW).build()).split("\\.");
        String changed = Base64URL.encode(claims(NOW).subject("someone-else").build().toString()).toString();
        assertThat(failureOf(() -> verify(parts[0] + "." + changed + "." + parts[2]))).isEqualTo(TokenFailure.BAD_SIGNATURE);
    }

    @Test
    void anUnknownKidIsLookedUpAnewOnceThenRefused() {
        AtomicInteger refreshes = new AtomicInteger();
        IssuerKeys counting = new IssuerKeys() {
            @Override
            public JWKSet keys() {
                return new JWKSet(rsa.toPublicJWK());
            }

            @Override
            public JWKSet keysAfterUnknownKeyId() {
                refreshes.incrementAndGet();
                return new JWKSet(rsa.toPublicJWK());
            }
        };
        AccessTokenVerifier verifier = new AccessTokenVerifier(Map.of(Tokens.ISSUER, counting), List.of(Tokens.AUDIENCE),
                AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ofSeconds(30), CertificateBinding.OFF, clock);

        assertThat(failureOf(() -> verifier.verify(bearer(sign(Tokens.rsa("rsa-2"), JWSAlgorithm.RS256, claims(NOW).build())), null)))
                .isEqualTo(TokenFailure.UNKNOWN_KEY);
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void aKidNamingAKeyOfAnotherTypeIsRefused() {
        // header says RS256, kid names the EC key
        ECKey sameKidAsEc = ec;
        String token = sign(rsaWithKid(sameKidAsEc.getKeyID()), JWSAlgorithm.RS256, claims(NOW).build());
        assertThat(failureOf(() -> verify(token))).isEqualTo(TokenFailure.ALGORITHM_NOT_ALLOWED);
    }

    private static RSAKey rsaWithKid(String kid) {
        return new RSAKey.Builder(rsa).keyID(kid).build();
    }

    @Test
    void anUnknownIssuerIsRefused() {
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).issuer("https://evil.test").build()))))
                .isEqualTo(TokenFailure.UNKNOWN_ISSUER);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).issuer(null).build()))))
                .isEqualTo(TokenFailure.MISSING_CLAIM);
    }

    @Test
    void aTokenForAnotherServerIsRefused() {
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).audience("https://other.test").build()))))
                .isEqualTo(TokenFailure.WRONG_AUDIENCE);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).audience((String) null).build()))))
                .isEqualTo(TokenFailure.WRONG_AUDIENCE);
    }

    @Test
    void expiryHonoursTheClockSkewExactly() throws InvalidTokenException {
        String token = sign(rsa, JWSAlgorithm.RS256, claims(NOW).expirationTime(Date.from(NOW)).build());
        clock.advance(Duration.ofSeconds(29));
        assertThat(verify(token).subject()).isEqualTo("user-4711");
        clock.advance(Duration.ofSeconds(1));
        assertThat(failureOf(() -> verify(token))).isEqualTo(TokenFailure.EXPIRED);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).expirationTime(null).build()))))
                .isEqualTo(TokenFailure.MISSING_CLAIM);
    }

    @Test
    void aTokenNotYetValidOrIssuedInTheFutureIsRefused() throws InvalidTokenException {
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(31))).build()))))
                .isEqualTo(TokenFailure.NOT_YET_VALID);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).issueTime(Date.from(NOW.plusSeconds(60))).build()))))
                .isEqualTo(TokenFailure.NOT_YET_VALID);
        // within the skew: accepted
        assertThat(verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).notBeforeTime(Date.from(NOW.plusSeconds(29))).build())))
                .isNotNull();
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).issueTime(null).build()))))
                .isEqualTo(TokenFailure.MISSING_CLAIM);
    }

    @Test
    void purposeOfUseIsRequiredKnownAndSingle() {
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.PURPOSE_OF_USE, null).build()))))
                .isEqualTo(TokenFailure.MISSING_CLAIM);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.PURPOSE_OF_USE,
                List.of(coding(IuaClaims.ACT_REASON, "HPAYMT"))).build())))).isEqualTo(TokenFailure.UNKNOWN_PURPOSE);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.PURPOSE_OF_USE,
                List.of(coding("http://example.test/purposes", "TREAT"))).build())))).isEqualTo(TokenFailure.UNKNOWN_PURPOSE);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.PURPOSE_OF_USE,
                List.of(coding(IuaClaims.ACT_REASON, "TREAT"), coding(IuaClaims.BEELDBRUG_PURPOSE, "AI"))).build()))))
                .isEqualTo(TokenFailure.INVALID_CLAIM);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.PURPOSE_OF_USE, "TREAT").build()))))
                .isEqualTo(TokenFailure.INVALID_CLAIM);
    }

    @Test
    void roleSubjectAndTheIuaExtensionAreRequired() {
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.SUBJECT_ROLE, null).build()))))
                .isEqualTo(TokenFailure.MISSING_CLAIM);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.SUBJECT_ROLE,
                coding("2.16.840.1.113883.6.96", "46255001")).build())))).isEqualTo(TokenFailure.INVALID_CLAIM);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.SUBJECT_ROLE,
                coding(IuaClaims.UZI_ROLE_SYSTEM, "radiologist")).build())))).isEqualTo(TokenFailure.INVALID_CLAIM);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).subject(null).build()))))
                .isEqualTo(TokenFailure.MISSING_CLAIM);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, claims(NOW).claim(IuaClaims.EXTENSIONS, null).build()))))
                .isEqualTo(TokenFailure.MISSING_CLAIM);
        assertThat(failureOf(() -> verify(sign(rsa, JWSAlgorithm.RS256, withIua(claims(NOW), IuaClaims.SUBJECT_ORGANIZATION_ID,
                "urn:oid:2.16.528.1.1007.3.3.123").build())))).isEqualTo(TokenFailure.INVALID_CLAIM);
    }

    @Test
    void algNoneIsRefused() {
        String unsigned = new PlainJWT(claims(NOW).build()).serialize();
        assertThat(failureOf(() -> verify(unsigned))).isEqualTo(TokenFailure.ALGORITHM_NOT_ALLOWED);
        // "none" with a (stripped) signature of a real token
        String[] parts = sign(rsa, JWSAlgorithm.RS256, claims(NOW).build()).split("\\.");
        String noneHeader = Base64URL.encode("{\"alg\":\"none\"}").toString();
        assertThat(failureOf(() -> verify(noneHeader + "." + parts[1] + "."))).isEqualTo(TokenFailure.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void hmacSignedWithTheIssuersPublicKeyIsRefused() throws Exception {
        // the classic confusion: HS256 keyed with the bytes of the public key the server trusts
        byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
        byte[] pem = ("-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(publicKey)
                + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
        for (byte[] secret : List.of(publicKey, pem, rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(), claims(NOW).build());
            jwt.sign(new MACSigner(Arrays.copyOf(secret, Math.max(secret.length, 32))));
            assertThat(failureOf(() -> verify(jwt.serialize()))).isEqualTo(TokenFailure.ALGORITHM_NOT_ALLOWED);
        }
        // and HMAC cannot even be configured
        assertThatThrownBy(() -> new AccessTokenVerifier(Map.of(Tokens.ISSUER, IssuerKeys.of(new JWKSet(rsa))),
                List.of(Tokens.AUDIENCE), List.of(JWSAlgorithm.HS256), Duration.ZERO, CertificateBinding.OFF, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingOrMalformedHeaderIsNamedAsSuch() {
        AccessTokenVerifier verifier = verifier(CertificateBinding.OFF);
        assertThat(failureOf(() -> verifier.verify(null, null))).isEqualTo(TokenFailure.MISSING);
        assertThat(failureOf(() -> verifier.verify("Basic dXNlcjpwYXNz", null))).isEqualTo(TokenFailure.MISSING);
        assertThat(failureOf(() -> verifier.verify("Bearer not a token", null))).isEqualTo(TokenFailure.MALFORMED);
        assertThat(failureOf(() -> verifier.verify("Bearer abc.def.ghi", null))).isEqualTo(TokenFailure.MALFORMED);
    }

    @Test
    void aCertificateBoundTokenMustMatchTheClientCertificate() throws InvalidTokenException {
        String bound = sign(rsa, JWSAlgorithm.RS256, claims(NOW)
                .claim("cnf", Map.of("x5t#S256", AccessTokenVerifier.thumbprint(clientCertificate))).build());
        String unbound = sign(rsa, JWSAlgorithm.RS256, claims(NOW).build());

        AccessTokenVerifier ifPresent = verifier(CertificateBinding.IF_PRESENT);
        assertThat(ifPresent.verify(bearer(bound), clientCertificate).certificateBound()).isTrue();
        assertThat(failureOf(() -> ifPresent.verify(bearer(bound), otherCertificate))).isEqualTo(TokenFailure.CERTIFICATE_MISMATCH);
        assertThat(failureOf(() -> ifPresent.verify(bearer(bound), null))).isEqualTo(TokenFailure.CERTIFICATE_BINDING_MISSING);
        assertThat(ifPresent.verify(bearer(unbound), clientCertificate).certificateBound()).isFalse();

        AccessTokenVerifier required = verifier(CertificateBinding.REQUIRED);
        assertThat(required.verify(bearer(bound), clientCertificate).certificateBound()).isTrue();
        assertThat(failureOf(() -> required.verify(bearer(unbound), clientCertificate))).isEqualTo(TokenFailure.CERTIFICATE_BINDING_MISSING);

        assertThat(verifier(CertificateBinding.OFF).verify(bearer(bound), otherCertificate).certificateBound()).isFalse();
    }

    @Test
    void keysFromAFileAreReadAgainWhenAnUnknownKidAppears(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, new JWKSet(rsa).toString(true));
        AccessTokenVerifier verifier = new AccessTokenVerifier(Map.of(Tokens.ISSUER, new FileJwks(file)), List.of(Tokens.AUDIENCE),
                AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ofSeconds(30), CertificateBinding.OFF, clock);
        assertThat(verifier.verify(bearer(sign(rsa, JWSAlgorithm.RS256, claims(NOW).build())), null)).isNotNull();

        RSAKey rotated = Tokens.rsa("rsa-rotated");
        String token = sign(rotated, JWSAlgorithm.RS256, claims(NOW).build());
        assertThat(failureOf(() -> verifier.verify(bearer(token), null))).isEqualTo(TokenFailure.UNKNOWN_KEY);
        Files.writeString(file, new JWKSet(List.of(rsa, rotated)).toString(true));
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(10)));
        assertThat(verifier.verify(bearer(token), null).subject()).isEqualTo("user-4711");
        // the private parts in the file are never used: only public keys are kept
        assertThat(new FileJwks(file).keys().getKeys()).noneMatch(k -> k.isPrivate());
    }

    @Test
    void configurationRefusesWhatCannotWork() {
        assertThatThrownBy(() -> new AccessTokenVerifier(Map.of(), List.of(Tokens.AUDIENCE), AccessTokenVerifier.DEFAULT_ALGORITHMS,
                Duration.ZERO, CertificateBinding.OFF, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessTokenVerifier(Map.of(Tokens.ISSUER, IssuerKeys.of(new JWKSet(rsa))), List.of(),
                AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ZERO, CertificateBinding.OFF, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenSecurityConfiguration.verifier(new TokenProperties(true, List.of(Tokens.AUDIENCE),
                List.of("RS256"), Duration.ZERO, CertificateBinding.OFF,
                List.of(new TokenProperties.Issuer(Tokens.ISSUER, null, null, Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5)))),
                clock)).hasMessageContaining("exactly one of jwks-url and jwks-file");
        assertThatThrownBy(() -> TokenSecurityConfiguration.verifier(new TokenProperties(true, List.of(Tokens.AUDIENCE),
                List.of("HS256"), Duration.ZERO, CertificateBinding.OFF,
                List.of(new TokenProperties.Issuer(Tokens.ISSUER, null, Path.of("jwks.json"), Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofSeconds(5)))),
                clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
