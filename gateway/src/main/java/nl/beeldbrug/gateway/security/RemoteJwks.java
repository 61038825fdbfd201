package nl.beeldbrug.gateway.security;

import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An issuer's JWKS fetched over HTTP(S) and cached for {@code timeToLive}. A token naming an unknown key id
 * triggers one fetch, at most once per {@code minRefreshInterval} (so a stream of forged key ids cannot make
 * us hammer the issuer). When a fetch fails the last good set is kept; with none, verification fails with
 * {@link TokenFailure#KEYS_UNAVAILABLE}. Only the public parts of the keys are kept.
 */
public final class RemoteJwks implements IssuerKeys {

    private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);
    private static final int MAX_BYTES = 256 * 1024;

    private final URI uri;
    private final HttpClient client;
    private final Duration timeout;
    private final Duration timeToLive;
    private final Duration minRefreshInterval;
    private final Clock clock;

    private JWKSet cached;
    private Instant fetchedAt = Instant.MIN;
    private Instant lastAttempt = Instant.MIN;

    public RemoteJwks(URI uri, Duration timeout, Duration timeToLive, Duration minRefreshInterval, Clock clock) {
        this.uri = uri;
        this.timeout = timeout;
        this.timeToLive = timeToLive;
        this.minRefreshInterval = minRefreshInterval;
        this.clock = clock;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public synchronized JWKSet keys() throws InvalidTokenException {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(fetchedAt.plus(timeToLive))) {
            if (cached == null || !now.isBefore(lastAttempt.plus(minRefreshInterval))) {
                fetch(now);
            }
        }
        return available();
    }

    @Override
    public synchronized JWKSet keysAfterUnknownKeyId() throws InvalidTokenException {
        Instant now = clock.instant();
        if (!now.isBefore(lastAttempt.plus(minRefreshInterval))) {
            fetch(now);
        }
        return available();
    }

    private JWKSet available() throws InvalidTokenException {
        if (cached == null) {
            throw new InvalidTokenException(TokenFailure.KEYS_UNAVAILABLE);
        }
        return cached;
    }

    private void fetch(Instant now) {
        lastAttempt = now;
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/jwk-set+json, application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                log.warn("JWKS {} answered HTTP {}; keeping {} cached key(s)", uri, response.statusCode(), size());
                return;
            }
            if (response.body().length > MAX_BYTES) {
                log.warn("JWKS {} is larger than {} bytes; ignored", uri, MAX_BYTES);
                return;
            }
            cached = JWKSet.parse(new String(response.body(), java.nio.charset.StandardCharsets.UTF_8)).toPublicJWKSet();
            fetchedAt = now;
        } catch (IOException | ParseException e) {
            log.warn("JWKS {} could not be read ({}); keeping {} cached key(s)", uri, e.getMessage(), size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int size() {
        return cached == null ? 0 : cached.size();
    }
}
