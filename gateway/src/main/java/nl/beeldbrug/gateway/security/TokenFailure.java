package nl.beeldbrug.gateway.security;

/**
 * Why an access token was refused: the catalogue of {@link AccessTokenVerifier}. Every entry becomes HTTP 401
 * with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 §3.1), except {@link #MISSING} (no
 * error code, as RFC 6750 §3.1 asks for a request without credentials) and {@link #KEYS_UNAVAILABLE}
 * (503: the issuer's keys could not be obtained, the token may well be good).
 */
public enum TokenFailure {
    /** No {@code Authorization: Bearer} header. */
    MISSING("no bearer token"),
    /** Not a compact JWS, or its claims are not a JSON object. */
    MALFORMED("the token is not a well-formed signed JWT"),
    /** {@code alg} none, HMAC, an encrypted token, or an algorithm not configured; or the key named is not for it. */
    ALGORITHM_NOT_ALLOWED("the token's signature algorithm is not accepted"),
    /** {@code iss} is not a configured issuer. */
    UNKNOWN_ISSUER("the token's issuer is not trusted"),
    /** No key of the issuer matches the token's {@code kid} (also after fetching the issuer's keys anew). */
    UNKNOWN_KEY("the token's signing key is not known for its issuer"),
    /** The signature does not verify with the issuer's key. */
    BAD_SIGNATURE("the token's signature is invalid"),
    /** None of {@code aud} is this resource server. */
    WRONG_AUDIENCE("the token is not meant for this server"),
    /** {@code exp} is past (beyond the allowed clock skew). */
    EXPIRED("the token has expired"),
    /** {@code nbf} or {@code iat} is in the future (beyond the allowed clock skew). */
    NOT_YET_VALID("the token is not yet valid"),
    /** A required claim is absent. */
    MISSING_CLAIM("a required claim is missing"),
    /** A claim is present but not in the form this server accepts. */
    INVALID_CLAIM("a claim has an invalid value"),
    /** {@code purpose_of_use} is not TREAT, COC, HRESCH or AI. */
    UNKNOWN_PURPOSE("the token's purpose of use is not supported"),
    /** RFC 8705: {@code cnf.x5t#S256} differs from the presented client certificate. */
    CERTIFICATE_MISMATCH("the token is bound to another client certificate"),
    /** RFC 8705: binding required or claimed, but no client certificate (or no {@code cnf}) to compare. */
    CERTIFICATE_BINDING_MISSING("the token is not bound to the presented client certificate"),
    /** Mutual TLS: {@code subject_organization_id} names another URA than the checked client certificate. */
    ORGANISATION_MISMATCH("the token names another organisation than the client certificate"),
    /** The issuer's key set could not be read (endpoint down, unreadable file). */
    KEYS_UNAVAILABLE("the issuer's keys are unavailable");

    private final String description;

    TokenFailure(String description) {
        this.description = description;
    }

    /** A fixed English sentence; never contains token content. */
    public String description() {
        return description;
    }
}
