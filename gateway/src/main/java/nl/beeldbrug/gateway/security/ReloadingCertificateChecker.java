package nl.beeldbrug.gateway.security;

import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.CertificateChecker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The current {@link CertificateChecker} of {@link TlsProperties}: trust anchors and CRL files are read again
 * once {@code crlReload} has passed, so that the CRLs a CA republishes are used without a restart. A reload that
 * fails keeps the previous checker (its CRLs run out at their nextUpdate; with {@code requireCrl} clients are
 * then refused, fail closed).
 */
final class ReloadingCertificateChecker implements Supplier<CertificateChecker> {

    private static final Logger log = LoggerFactory.getLogger(ReloadingCertificateChecker.class);

    private final TlsProperties properties;
    private final Clock clock;
    private volatile CertificateChecker current;
    private volatile Instant loadedAt;

    ReloadingCertificateChecker(TlsProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        try {
            this.current = load();
        } catch (IOException e) {
            throw new UncheckedIOException("beeldbrug.security.tls: " + e.getMessage(), e);
        }
        this.loadedAt = clock.instant();
    }

    @Override
    public CertificateChecker get() {
        Instant now = clock.instant();
        if (now.isAfter(loadedAt.plus(properties.crlReload()))) {
            synchronized (this) {
                if (now.isAfter(loadedAt.plus(properties.crlReload()))) {
                    try {
                        current = load();
                    } catch (IOException | RuntimeException e) {
                        log.warn("Trust anchors or CRLs could not be read again, the previous ones stay: {}", e.getMessage());
                    }
                    loadedAt = now;
                }
            }
        }
        return current;
    }

    private CertificateChecker load() throws IOException {
        Map<String, Ura> subjects = new LinkedHashMap<>();
        for (TlsProperties.SubjectMapping mapping : properties.subjects()) {
            subjects.put(mapping.subject(), Ura.of(mapping.ura()));
        }
        return CertificateChecker.fromPem(properties.trustAnchors(), properties.crls(), subjects, clock, properties.requireCrl());
    }
}
