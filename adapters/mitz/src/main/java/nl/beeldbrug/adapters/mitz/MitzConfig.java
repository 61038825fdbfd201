package nl.beeldbrug.adapters.mitz;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to ask Mitz.
 *
 * @param endpoint          the closed-question endpoint (https)
 * @param connectTimeout    TCP + TLS connect limit
 * @param requestTimeout    limit for the whole answer; past it the answer is Indeterminate
 * @param cacheTtl          how long a Permit/Deny/NotApplicable is reused (zero: no cache)
 * @param cacheMaxEntries   bound of the cache
 */
public record MitzConfig(URI endpoint, Duration connectTimeout, Duration requestTimeout, Duration cacheTtl,
                         int cacheMaxEntries) {

    public MitzConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IllegalArgumentException("Mitz is asked over mutual TLS: the endpoint must be https");
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()
                || cacheTtl.isNegative() || cacheMaxEntries < 0) {
            throw new IllegalArgumentException("timeouts must be positive, the cache time and size not negative");
        }
    }

    /** Defaults: 2 s connect, 3 s answer, answers reused for 60 s, at most 10,000 remembered. */
    public static MitzConfig of(URI endpoint) {
        return new MitzConfig(endpoint, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(60), 10_000);
    }
}
