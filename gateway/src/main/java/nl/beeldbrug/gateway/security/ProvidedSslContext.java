package nl.beeldbrug.gateway.security;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.KeyManager;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Hands Tomcat a JSSE {@link SSLContext} built here (key from PEM, client certificates judged by
 * {@code CertificateTrustManager}) instead of letting it build one from key and trust stores: Tomcat then
 * uses the context as given ({@code SSLHostConfigCertificate.setSslContext}).
 */
final class ProvidedSslContext implements org.apache.tomcat.util.net.SSLContext {

    private final SSLContext context;
    private final List<X509Certificate> chain;
    private final List<X509Certificate> acceptedIssuers;

    ProvidedSslContext(SSLContext context, List<X509Certificate> chain, List<X509Certificate> acceptedIssuers) {
        this.context = context;
        this.chain = List.copyOf(chain);
        this.acceptedIssuers = List.copyOf(acceptedIssuers);
    }

    @Override
    public void init(KeyManager[] kms, TrustManager[] tms, SecureRandom sr) {
        // initialised already
    }

    @Override
    public void destroy() {
        // nothing held beyond the JSSE context
    }

    @Override
    public SSLSessionContext getServerSessionContext() {
        return context.getServerSessionContext();
    }

    @Override
    public SSLEngine createSSLEngine() {
        return context.createSSLEngine();
    }

    @Override
    public SSLServerSocketFactory getServerSocketFactory() {
        return context.getServerSocketFactory();
    }

    @Override
    public SSLParameters getSupportedSSLParameters() {
        return context.getSupportedSSLParameters();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return chain.toArray(X509Certificate[]::new);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return acceptedIssuers.toArray(X509Certificate[]::new);
    }
}
