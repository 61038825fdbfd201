package nl.beeldbrug.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeyLengthException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * IHE IUA "Incorporate Access Token" (ITI-72) on the resource server side: checks the JWT bearer token of a
 * request and says who asks, in which role, why ({@link AccessContext}), or precisely why not
 * ({@link InvalidTokenException} with a {@link TokenFailure}).
 * <p>
 * Order of checks: {@code Authorization: Bearer} → compact JWS (a plain {@code alg: none} or encrypted JWT is
 * refused) → algorithm among the configured asymmetric ones (RS256, ES256, PS256 by default; HMAC can never be
 * configured, so a token "signed" with an issuer's public key as HMAC secret is refused) → {@code iss} a
 * configured issuer → its key by {@code kid} (unknown id: the issuer's JWKS is fetched anew once, then refused;
 * a key of another type or algorithm than the header's is refused) → signature → {@code aud} contains one of ours →
 * {@code exp} (required), {@code nbf}, {@code iat} (required) within the clock skew → {@code sub} and the IUA
 * extension claims ({@link IuaClaims}) → RFC 8705 {@code cnf.x5t#S256} against the client certificate
 * ({@link CertificateBinding}).
 */
public final class AccessTokenVerifier {

    /** The algorithms that may be configured: asymmetric signatures only. */
    public static final Set<JWSAlgorithm> PERMITTED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256);

    private static final Pattern BEARER = Pattern.compile("(?i)Bearer +([A-Za-z0-9\\-._~+/]+=*)\\s*");
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final Map<String, IssuerKeys> issuers;
    private final Set<String> audiences;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration clockSkew;
    private final CertificateBinding binding;
    private final Clock clock;

    /**
     * @param issuers    trusted issuers ({@code iss} value → its keys); at least one
     * @param audiences  the identifiers of this resource server, one of which {@code aud} must contain; at least one
     * @param algorithms accepted signature algorithms, a subset of {@link #PERMITTED_ALGORITHMS}
     */
    public AccessTokenVerifier(Map<String, IssuerKeys> issuers, Collection<String> audiences, Collection<JWSAlgorithm> algorithms,
                               Duration clockSkew, CertificateBinding binding, Clock clock) {
        if (issuers.isEmpty()) {
            throw new IllegalArgumentException("at least one token issuer must be configured");
        }
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience (this server's identifier) must be configured");
        }
        if (algorithms.isEmpty() || !PERMITTED_ALGORITHMS.containsAll(algorithms)) {
            throw new IllegalArgumentException("token algorithms must be among " + PERMITTED_ALGORITHMS + " (no HMAC, no none)");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("the clock skew must be between 0 and 5 minutes");
        }
        this.issuers = Map.copyOf(new LinkedHashMap<>(issuers));
        this.audiences = Set.copyOf(audiences);
        this.algorithms = Set.copyOf(algorithms);
        this.clockSkew = clockSkew;
        this.binding = binding;
        this.clock = clock;
    }

    /**
     * @param authorization     the request's {@code Authorization} header, may be null
     * @param clientCertificate the end-entity certificate of the mutual-TLS client, may be null
     */
    public AccessContext verify(String authorization, X509Certificate clientCertificate) throws InvalidTokenException {
        SignedJWT jwt = parse(authorization);
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(algorithm)) {
            throw new InvalidTokenException(TokenFailure.ALGORITHM_NOT_ALLOWED);
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException(TokenFailure.MALFORMED);
        }
        String issuer = claims.getIssuer();
        if (issuer == null) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no iss");
        }
        IssuerKeys keys = issuers.get(issuer);
        if (keys == null) {
            throw new InvalidTokenException(TokenFailure.UNKNOWN_ISSUER);
        }
        verifySignature(jwt, algorithm, keys);

        if (claims.getAudience().stream().noneMatch(audiences::contains)) {
            throw new InvalidTokenException(TokenFailure.WRONG_AUDIENCE);
        }
        Instant expiresAt = checkTimes(claims);
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no sub");
        }
        IuaClaims iua = IuaClaims.of(claims.getClaim(IuaClaims.EXTENSIONS));
        PurposeOfUse purpose = iua.purpose();
        String role = iua.uziRole();
        Ura organisation = iua.organisation();
        String provider = iua.nationalProviderIdentifier();
        boolean bound = checkBinding(claims, clientCertificate);
        return new AccessContext(issuer, subject, provider != null ? provider : subject, role, purpose, organisation,
                iua.homeCommunityId(), stringClaim(claims, "client_id"), claims.getJWTID(), expiresAt, bound);
    }

    private static SignedJWT parse(String authorization) throws InvalidTokenException {
        if (authorization == null || authorization.isBlank()
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new InvalidTokenException(TokenFailure.MISSING);
        }
        if (authorization.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException(TokenFailure.MALFORMED, "the token is too long");
        }
        var matcher = BEARER.matcher(authorization);
        if (!matcher.matches()) {
            throw new InvalidTokenException(TokenFailure.MALFORMED);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(matcher.group(1));
        } catch (ParseException e) {
            throw new InvalidTokenException(TokenFailure.MALFORMED);
        }
        if (!(jwt instanceof SignedJWT signed)) {
            // PlainJWT (alg none) or EncryptedJWT
            throw new InvalidTokenException(TokenFailure.ALGORITHM_NOT_ALLOWED, "unsigned or encrypted tokens are not accepted");
        }
        return signed;
    }

    private static void verifySignature(SignedJWT jwt, JWSAlgorithm algorithm, IssuerKeys issuerKeys) throws InvalidTokenException {
        String keyId = jwt.getHeader().getKeyID();
        List<JWK> candidates = candidates(issuerKeys.keys(), keyId, algorithm);
        if (candidates.isEmpty() && keyId != null) {
            candidates = candidates(issuerKeys.keysAfterUnknownKeyId(), keyId, algorithm);
        }
        if (candidates.isEmpty()) {
            throw new InvalidTokenException(TokenFailure.UNKNOWN_KEY);
        }
        for (JWK key : candidates) {
            try {
                if (jwt.verify(verifier(key, algorithm))) {
                    return;
                }
            } catch (JOSEException e) {
                // a key that cannot verify this token is as good as a wrong signature
            }
        }
        throw new InvalidTokenException(TokenFailure.BAD_SIGNATURE);
    }

    /** The keys that may verify: by kid when the header has one; signing keys of the algorithm's family. */
    private static List<JWK> candidates(JWKSet set, String keyId, JWSAlgorithm algorithm) throws InvalidTokenException {
        List<JWK> named = set.getKeys().stream().filter(k -> keyId == null || keyId.equals(k.getKeyID())).toList();
        List<JWK> usable = named.stream().filter(k -> fits(k, algorithm)).toList();
        if (keyId != null && !named.isEmpty() && usable.isEmpty()) {
            throw new InvalidTokenException(TokenFailure.ALGORITHM_NOT_ALLOWED, "the key named by kid is not for this algorithm");
        }
        return usable;
    }

    private static boolean fits(JWK key, JWSAlgorithm algorithm) {
        if (key.getKeyUse() != null && key.getKeyUse() != KeyUse.SIGNATURE) {
            return false;
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(algorithm)) {
            return false;
        }
        if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
            return key instanceof RSAKey;
        }
        return JWSAlgorithm.Family.EC.contains(algorithm) && key instanceof ECKey;
    }

    private static JWSVerifier verifier(JWK key, JWSAlgorithm algorithm) throws JOSEException {
        if (key instanceof RSAKey rsa) {
            RSASSAVerifier verifier = new RSASSAVerifier(rsa.toRSAPublicKey());
            if (rsa.size() < 2048) {
                throw new KeyLengthException("RSA keys shorter than 2048 bits are not accepted");
            }
            return verifier;
        }
        return new ECDSAVerifier((ECKey) key);
    }

    private Instant checkTimes(JWTClaimsSet claims) throws InvalidTokenException {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no exp");
        }
        if (!now.isBefore(exp.toInstant().plus(clockSkew))) {
            throw new InvalidTokenException(TokenFailure.EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
            throw new InvalidTokenException(TokenFailure.NOT_YET_VALID);
        }
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw new InvalidTokenException(TokenFailure.MISSING_CLAIM, "the token has no iat");
        }
        if (now.plus(clockSkew).isBefore(iat.toInstant())) {
            throw new InvalidTokenException(TokenFailure.NOT_YET_VALID, "the token is issued in the future");
        }
        return exp.toInstant();
    }

    private boolean checkBinding(JWTClaimsSet claims, X509Certificate certificate) throws InvalidTokenException {
        if (binding == CertificateBinding.OFF) {
            return false;
        }
        String thumbprint = null;
        Object cnf = claims.getClaim("cnf");
        if (cnf instanceof Map<?, ?> confirmation && confirmation.get("x5t#S256") instanceof String s) {
            thumbprint = s;
        } else if (cnf != null) {
            throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, "cnf must hold x5t#S256");
        }
        if (thumbprint == null) {
            if (binding == CertificateBinding.REQUIRED) {
                throw new InvalidTokenException(TokenFailure.CERTIFICATE_BINDING_MISSING, "the token is not bound to a client certificate (cnf)");
            }
            return false;
        }
        if (certificate == null) {
            throw new InvalidTokenException(TokenFailure.CERTIFICATE_BINDING_MISSING, "the token is bound to a client certificate, but none was presented");
        }
        if (!MessageDigest.isEqual(thumbprint.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                thumbprint(certificate).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new InvalidTokenException(TokenFailure.CERTIFICATE_MISMATCH);
        }
        return true;
    }

    /** RFC 8705 §3.1: base64url (no padding) of the SHA-256 of the certificate's DER encoding. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return Base64URL.encode(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())).toString();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) throws InvalidTokenException {
        try {
            return claims.getStringClaim(name);
        } catch (ParseException e) {
            throw new InvalidTokenException(TokenFailure.INVALID_CLAIM, name + " must be a string");
        }
    }
}
