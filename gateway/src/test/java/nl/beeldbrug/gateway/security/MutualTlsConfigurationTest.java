package nl.beeldbrug.gateway.security;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MutualTlsConfigurationTest {

    private static final TlsProperties TLS = new TlsProperties(true, Path.of("chain.pem"), Path.of("key.pem"),
            Path.of("anchors.pem"), List.of(), true, Duration.ofMinutes(5), true, List.of());

    @Test
    void mutualTlsWithoutTokensRefusesToStart() {
        TokenProperties off = new TokenProperties(false, List.of(), List.of("ES256"), Duration.ofSeconds(30),
                CertificateBinding.IF_PRESENT, List.of());
        assertThatThrownBy(() -> new MutualTlsConfiguration().clientCertificateChecker(TLS, off))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beeldbrug.security.tls.enabled=true requires beeldbrug.security.tokens.enabled=true");
    }

    @Test
    void missingFilesAreNamed() {
        TokenProperties on = new TokenProperties(true, List.of("aud"), List.of("ES256"), Duration.ofSeconds(30),
                CertificateBinding.IF_PRESENT, List.of());
        assertThatThrownBy(() -> new MutualTlsConfiguration().clientCertificateChecker(TLS, on))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("beeldbrug.security.tls.trust-anchors: no readable file anchors.pem");
    }
}
