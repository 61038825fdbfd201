package nl.beeldbrug.adapters.mitz;

import nl.beeldbrug.registry.consent.NationalConsentAnswer;
import nl.beeldbrug.registry.consent.NationalConsentQuestion;
import nl.beeldbrug.registry.consent.NationalConsentService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * {@link NationalConsentService} on Mitz: the closed question as XACML 3.0 over SOAP 1.2 and mutual TLS
 * ({@link ClosedQuestionCodec}), with a short-lived {@link DecisionCache}. Fails closed: a timeout, a
 * refused connection, a failed TLS handshake (untrusted server, client certificate refused), an HTTP
 * status other than 200 or an unreadable answer is {@link NationalConsentAnswer#INDETERMINATE}, never
 * cached, and the decision engine denies. Logs carry no BSN.
 */
public final class MitzClient implements NationalConsentService {

    private static final Logger LOG = LoggerFactory.getLogger(MitzClient.class);
    private static final int MAX_ANSWER_BYTES = 1 << 20;

    private final MitzConfig config;
    private final HttpClient http;
    private final ClosedQuestionCodec codec = new ClosedQuestionCodec();
    private final DecisionCache cache;
    private final Clock clock;

    public MitzClient(MitzConfig config, SSLContext tls, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .sslContext(Objects.requireNonNull(tls, "tls"))
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.cache = new DecisionCache(clock, config.cacheTtl(), config.cacheMaxEntries());
    }

    @Override
    public NationalConsentAnswer ask(NationalConsentQuestion question) {
        var cached = cache.get(question);
        if (cached.isPresent()) {
            return cached.get();
        }
        NationalConsentAnswer answer = askMitz(question);
        cache.put(question, answer);
        return answer;
    }

    /** Number of answers remembered now (for metrics and tests). */
    public int cachedAnswers() {
        return cache.size();
    }

    private NationalConsentAnswer askMitz(NationalConsentQuestion question) {
        String messageId = UUID.randomUUID().toString();
        String body = codec.request(question, messageId, clock.instant());
        HttpRequest request = HttpRequest.newBuilder(config.endpoint())
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/soap+xml; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return indeterminate(messageId, "HTTP " + response.statusCode());
            }
            if (response.body().length > MAX_ANSWER_BYTES) {
                return indeterminate(messageId, "answer of " + response.body().length + " bytes");
            }
            NationalConsentAnswer answer = codec.answer(response.body());
            LOG.debug("Mitz {}: {}", messageId, answer);
            return answer;
        } catch (HttpTimeoutException e) {
            return indeterminate(messageId, "timeout after " + config.requestTimeout().toMillis() + " ms");
        } catch (IOException e) {
            return indeterminate(messageId, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (ClosedQuestionCodec.MalformedAnswerException e) {
            return indeterminate(messageId, "malformed answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return indeterminate(messageId, "interrupted");
        }
    }

    private static NationalConsentAnswer indeterminate(String messageId, String why) {
        LOG.warn("Mitz closed question {} failed, answered Indeterminate (deny): {}", messageId, why);
        return NationalConsentAnswer.INDETERMINATE;
    }
}
