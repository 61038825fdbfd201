package nl.beeldbrug.registry.consent.identity;

import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.CertificateRejectedException.Reason;
import nl.beeldbrug.registry.consent.testing.TestPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateTrustManagerTest {

    private static final Ura URA = Ura.of("90000123");

    @TempDir
    static Path directory;
    static TestPki pki;

    private final List<Reason> refusals = new ArrayList<>();
    private CertificateTrustManager trustManager;

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(directory.resolve("pki"));
    }

    private CertificateTrustManager trustManager() {
        CertificateChecker checker = new CertificateChecker(List.of(pki.root().certificate()),
                List.of(pki.rootCrl(), pki.crl()), Map.of(), Clock.systemUTC(), true);
        return new CertificateTrustManager(() -> checker, e -> refusals.add(e.reason()));
    }

    private static X509Certificate[] chain(TestPki.Issued issued) {
        return issued.chain().toArray(X509Certificate[]::new);
    }

    @Test
    void acceptsAGoodClientChainAndAnnouncesTheAnchors() throws CertificateException {
        trustManager = trustManager();
        trustManager.checkClientTrusted(chain(pki.client("good", URA)), "EC");
        assertThat(refusals).isEmpty();
        assertThat(trustManager.getAcceptedIssuers()).containsExactly(pki.root().certificate());
    }

    @Test
    void refusesWhatTheCheckerRefusesAndReportsWhy() {
        TestPki.Issued revoked = pki.client("revoked", URA);
        pki.revoke(revoked);
        trustManager = trustManager();
        for (TestPki.Issued bad : List.of(pki.expiredClient("expired", URA), pki.foreignClient("foreign", URA),
                pki.serverOnly("server-only", URA), revoked)) {
            assertThatThrownBy(() -> trustManager.checkClientTrusted(chain(bad), "EC"))
                    .isInstanceOf(CertificateException.class).hasMessageContaining("client certificate refused");
        }
        assertThatThrownBy(() -> trustManager.checkClientTrusted(new X509Certificate[0], "EC"))
                .isInstanceOf(CertificateException.class);
        assertThat(refusals).containsExactly(Reason.EXPIRED, Reason.UNTRUSTED, Reason.NOT_FOR_CLIENT_AUTH, Reason.REVOKED,
                Reason.NO_CERTIFICATE);
    }

    @Test
    void trustsNoServer() {
        trustManager = trustManager();
        assertThatThrownBy(() -> trustManager.checkServerTrusted(chain(pki.server("server")), "EC"))
                .isInstanceOf(CertificateException.class);
    }
}
