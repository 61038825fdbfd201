package nl.beeldbrug.gateway.consent;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The national consent service Mitz, under {@code beeldbrug.consent.mitz.*}; with an {@code endpoint} the
 * gateway asks Mitz ({@link MitzConfiguration}) whenever {@code beeldbrug.consent.national-mode} is
 * {@code NATIONAL} or {@code NATIONAL_OR_LOCAL}.
 *
 * @param endpoint         the closed-question endpoint (https)
 * @param certificateChain PEM: this organisation's UZI server certificate, then its CAs (the TLS client identity)
 * @param privateKey       PEM: its private key
 * @param trustAnchors     PEM: the CAs Mitz's server certificate must chain to
 * @param connectTimeout   TCP + TLS connect limit
 * @param requestTimeout   limit for the whole answer; past it the answer is Indeterminate (deny)
 * @param cacheTtl         how long a Permit/Deny/NotApplicable is reused (0: never)
 * @param cacheMaxEntries  bound of that cache
 */
@ConfigurationProperties("beeldbrug.consent.mitz")
public record MitzProperties(URI endpoint, Path certificateChain, Path privateKey, Path trustAnchors,
                             @DefaultValue("2s") Duration connectTimeout,
                             @DefaultValue("3s") Duration requestTimeout,
                             @DefaultValue("60s") Duration cacheTtl,
                             @DefaultValue("10000") int cacheMaxEntries) {
}
