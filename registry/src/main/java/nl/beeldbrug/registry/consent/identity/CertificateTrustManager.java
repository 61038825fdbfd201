package nl.beeldbrug.registry.consent.identity;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server side of mutual TLS with {@link CertificateChecker}'s rules: a client chain that the checker refuses
 * (untrusted CA, expired, revoked, no current CRL, not for client authentication, no organisation) ends the
 * handshake. One instance serves every TLS listener (HTTPS connector, DICOM TLS), so that all endpoints judge
 * client certificates alike. The checker is asked anew for each handshake ({@code checker} may reload CRLs).
 * Only for servers: it trusts no server certificate.
 */
public final class CertificateTrustManager extends X509ExtendedTrustManager {

    private final Supplier<CertificateChecker> checker;
    private final Consumer<CertificateRejectedException> refused;

    /**
     * @param checker the current checker
     * @param refused told about every refused chain (logging, metrics); must not throw
     */
    public CertificateTrustManager(Supplier<CertificateChecker> checker, Consumer<CertificateRejectedException> refused) {
        this.checker = Objects.requireNonNull(checker, "checker");
        this.refused = Objects.requireNonNull(refused, "refused");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        try {
            checker.get().check(chain == null ? List.of() : List.of(chain));
        } catch (CertificateRejectedException e) {
            refused.accept(e);
            throw new CertificateException("client certificate refused: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("this trust manager judges TLS clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("this trust manager judges TLS clients only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("this trust manager judges TLS clients only");
    }

    /** The trust anchors, announced to clients as acceptable CAs. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return checker.get().trustAnchors().toArray(X509Certificate[]::new);
    }
}
