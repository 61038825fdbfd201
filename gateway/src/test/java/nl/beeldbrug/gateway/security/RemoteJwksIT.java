package nl.beeldbrug.gateway.security;

import nl.beeldbrug.registry.testing.MutableClock;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static nl.beeldbrug.gateway.security.Tokens.bearer;
import static nl.beeldbrug.gateway.security.Tokens.claims;
import static nl.beeldbrug.gateway.security.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;

/** The issuer's JWKS served over HTTP on 127.0.0.1: caching, refresh on an unknown kid, rate limit, outage. */
class RemoteJwksIT {

    private final RSAKey first = Tokens.rsa("key-1");
    private final RSAKey second = Tokens.rsa("key-2");
    private final AtomicReference<String> served = new AtomicReference<>(new JWKSet(first).toString(true));
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final MutableClock clock = new MutableClock(Instant.now());
    private HttpServer server;
    private AccessTokenVerifier verifier;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            requests.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
        verifier = new AccessTokenVerifier(Map.of(Tokens.ISSUER,
                new RemoteJwks(uri, Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofSeconds(30), clock)),
                List.of(Tokens.AUDIENCE), AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ofSeconds(30), CertificateBinding.OFF, clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private TokenFailure failureOf(String token) {
        try {
            verifier.verify(bearer(token), null);
        } catch (InvalidTokenException e) {
            return e.failure();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void keysAreFetchedOnceAndCached() throws InvalidTokenException {
        String token = sign(first, JWSAlgorithm.RS256, claims(clock.instant()).build());
        assertThat(verifier.verify(bearer(token), null).subject()).isEqualTo("user-4711");
        assertThat(verifier.verify(bearer(token), null).subject()).isEqualTo("user-4711");
        assertThat(requests).hasValue(1);

        clock.advance(Duration.ofMinutes(6)); // past the time to live
        verifier.verify(bearer(sign(first, JWSAlgorithm.RS256, claims(clock.instant()).build())), null);
        assertThat(requests).hasValue(2);
    }

    @Test
    void anUnknownKidFetchesTheSetAgainThenRefuses() throws InvalidTokenException {
        verifier.verify(bearer(sign(first, JWSAlgorithm.RS256, claims(clock.instant()).build())), null);
        assertThat(requests).hasValue(1);
        clock.advance(Duration.ofSeconds(31));

        assertThat(failureOf(sign(second, JWSAlgorithm.RS256, claims(clock.instant()).build()))).isEqualTo(TokenFailure.UNKNOWN_KEY);
        assertThat(requests).hasValue(2);
        // another unknown kid right after: no new fetch (rate limited), still refused
        assertThat(failureOf(sign(Tokens.rsa("key-3"), JWSAlgorithm.RS256, claims(clock.instant()).build())))
                .isEqualTo(TokenFailure.UNKNOWN_KEY);
        assertThat(requests).hasValue(2);
    }

    @Test
    void aRotatedKeyIsFoundByTheRefresh() throws InvalidTokenException {
        verifier.verify(bearer(sign(first, JWSAlgorithm.RS256, claims(clock.instant()).build())), null);
        served.set(new JWKSet(List.of(first, second)).toString(true));
        clock.advance(Duration.ofSeconds(31));

        assertThat(verifier.verify(bearer(sign(second, JWSAlgorithm.RS256, claims(clock.instant()).build())), null).subject())
                .isEqualTo("user-4711");
        assertThat(requests).hasValue(2);
    }

    @Test
    void anOutageKeepsTheKnownKeysAndWithoutAnyTheTokenCannotBeChecked() throws InvalidTokenException {
        verifier.verify(bearer(sign(first, JWSAlgorithm.RS256, claims(clock.instant()).build())), null);
        status.set(500);
        clock.advance(Duration.ofMinutes(6));
        assertThat(verifier.verify(bearer(sign(first, JWSAlgorithm.RS256, claims(clock.instant()).build())), null)).isNotNull();
        assertThat(requests).hasValue(2);

        server.stop(0);
        AccessTokenVerifier fresh = new AccessTokenVerifier(Map.of(Tokens.ISSUER, new RemoteJwks(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"), Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(30), clock)),
                List.of(Tokens.AUDIENCE), AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ofSeconds(30), CertificateBinding.OFF, clock);
        try {
            fresh.verify(bearer(sign(first, JWSAlgorithm.RS256, claims(clock.instant()).build())), null);
            throw new AssertionError("accepted without keys");
        } catch (InvalidTokenException e) {
            assertThat(e.failure()).isEqualTo(TokenFailure.KEYS_UNAVAILABLE);
        }
    }
}
