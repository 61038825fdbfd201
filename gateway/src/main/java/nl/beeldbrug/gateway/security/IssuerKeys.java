package nl.beeldbrug.gateway.security;

import com.nimbusds.jose.jwk.JWKSet;

/** The public signing keys of one token issuer (a JWKS). */
public interface IssuerKeys {

    /** The keys as known now (cached). */
    JWKSet keys() throws InvalidTokenException;

    /**
     * The keys read anew because a token names a key id that {@link #keys()} does not hold (the issuer may
     * have rotated its keys). Implementations limit how often this really fetches.
     */
    JWKSet keysAfterUnknownKeyId() throws InvalidTokenException;

    /** Keys fixed in memory (tests, or keys configured inline). */
    static IssuerKeys of(JWKSet keys) {
        JWKSet publicKeys = keys.toPublicJWKSet();
        return new IssuerKeys() {
            @Override
            public JWKSet keys() {
                return publicKeys;
            }

            @Override
            public JWKSet keysAfterUnknownKeyId() {
                return publicKeys;
            }
        };
    }
}
