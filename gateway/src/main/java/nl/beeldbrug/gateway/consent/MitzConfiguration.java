package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.adapters.mitz.MitzClient;
import nl.beeldbrug.adapters.mitz.MitzConfig;
import nl.beeldbrug.adapters.mitz.MitzTls;
import nl.beeldbrug.registry.consent.NationalConsentService;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The Mitz client as the gateway's {@link NationalConsentService} (picked up by {@link ConsentConfiguration}),
 * present when {@code beeldbrug.consent.mitz.endpoint} is set. Unreadable key or certificate files stop the start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beeldbrug.consent.mitz.endpoint")
public class MitzConfiguration {

    @Bean
    NationalConsentService mitzClient(MitzProperties mitz) throws IOException {
        requireFile("certificate-chain", mitz.certificateChain());
        requireFile("private-key", mitz.privateKey());
        requireFile("trust-anchors", mitz.trustAnchors());
        MitzConfig config = new MitzConfig(mitz.endpoint(), mitz.connectTimeout(), mitz.requestTimeout(), mitz.cacheTtl(),
                mitz.cacheMaxEntries());
        return new MitzClient(config, MitzTls.fromPem(mitz.certificateChain(), mitz.privateKey(), mitz.trustAnchors()),
                Clock.systemUTC());
    }

    private static void requireFile(String property, Path file) {
        if (file == null || !Files.isReadable(file)) {
            throw new IllegalStateException("beeldbrug.consent.mitz." + property + ": no readable file " + file);
        }
    }
}
