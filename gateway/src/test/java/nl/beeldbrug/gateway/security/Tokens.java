package nl.beeldbrug.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test issuer: keys and IUA access tokens with sensible defaults that each test bends one way. */
public final class Tokens {

    public static final String ISSUER = "https://sts.example.test";
    public static final String AUDIENCE = "https://beeldbrug.example.test";
    public static final String URA = "12345678";

    public static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Default IUA claims: radiologist-ish role, TREAT, URA organisation, valid for five minutes from {@code now}. */
    public static JWTClaimsSet.Builder claims(Instant now) {
        Map<String, Object> iua = new LinkedHashMap<>();
        iua.put(IuaClaims.SUBJECT_ROLE, List.of(coding(IuaClaims.UZI_ROLE_SYSTEM, "01.015")));
        iua.put(IuaClaims.PURPOSE_OF_USE, List.of(coding(IuaClaims.ACT_REASON, "TREAT")));
        iua.put(IuaClaims.SUBJECT_ORGANIZATION_ID, "urn:oid:2.16.528.1.1007.3.3." + URA);
        iua.put(IuaClaims.NATIONAL_PROVIDER_IDENTIFIER, "900012345");
        iua.put(IuaClaims.HOME_COMMUNITY_ID, "urn:oid:2.16.528.1.1007.3.3.12345678.1");
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("user-4711")
                .audience(List.of(AUDIENCE))
                .issueTime(Date.from(now.minusSeconds(5)))
                .notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID("token-1")
                .claim("client_id", "pacs-viewer")
                .claim(IuaClaims.EXTENSIONS, Map.of(IuaClaims.IHE_IUA, iua));
    }

    public static Map<String, Object> coding(String system, String code) {
        return Map.of("system", system, "code", code);
    }

    /** Claims with one IUA extension claim replaced (null removes it). */
    public static JWTClaimsSet.Builder withIua(JWTClaimsSet.Builder builder, String name, Object value) {
        @SuppressWarnings("unchecked")
        Map<String, Object> extensions = (Map<String, Object>) builder.build().getClaim(IuaClaims.EXTENSIONS);
        @SuppressWarnings("unchecked")
        Map<String, Object> iua = new LinkedHashMap<>((Map<String, Object>) extensions.get(IuaClaims.IHE_IUA));
        if (value == null) {
            iua.remove(name);
        } else {
            iua.put(name, value);
        }
        return builder.claim(IuaClaims.EXTENSIONS, Map.of(IuaClaims.IHE_IUA, iua));
    }

    public static String sign(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        try {
            JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private Tokens() {
    }
}
