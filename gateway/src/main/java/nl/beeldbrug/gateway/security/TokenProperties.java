package nl.beeldbrug.gateway.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * IUA access tokens (ITI-72), under {@code beeldbrug.security.tokens.*}. Off by default: with
 * {@code enabled=false} nothing checks tokens yet (the endpoints are wired in a later step).
 *
 * @param enabled            register {@link BearerTokenFilter} on {@code /fhir/*} and {@code /services/*}
 * @param audiences          this server's identifiers; a token's {@code aud} must contain one
 * @param algorithms         accepted JWS algorithms (asymmetric only)
 * @param clockSkew          tolerance on {@code exp}, {@code nbf}, {@code iat}
 * @param certificateBinding RFC 8705 {@code cnf.x5t#S256}: OFF, IF_PRESENT, REQUIRED
 * @param issuers            trusted issuers with their keys
 */
@ConfigurationProperties("beeldbrug.security.tokens")
public record TokenProperties(@DefaultValue("false") boolean enabled,
                              @DefaultValue List<String> audiences,
                              @DefaultValue({"RS256", "ES256", "PS256"}) List<String> algorithms,
                              @DefaultValue("30s") Duration clockSkew,
                              @DefaultValue("IF_PRESENT") CertificateBinding certificateBinding,
                              @DefaultValue List<Issuer> issuers) {

    /**
     * One trusted issuer: its {@code iss} value and its keys, from {@code jwksUrl} (cached {@code cacheTtl},
     * fetched anew for an unknown kid at most every {@code minRefreshInterval}) or from {@code jwksFile}.
     */
    public record Issuer(String id, URI jwksUrl, Path jwksFile,
                         @DefaultValue("5m") Duration cacheTtl,
                         @DefaultValue("30s") Duration minRefreshInterval,
                         @DefaultValue("5s") Duration timeout) {
    }
}
