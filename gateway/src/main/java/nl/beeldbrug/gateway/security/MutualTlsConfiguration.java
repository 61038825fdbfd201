package nl.beeldbrug.gateway.security;

import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.adapters.dicom.net.TlsContexts;
import nl.beeldbrug.registry.consent.identity.CertificateTrustManager;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * Mutual TLS on {@code server.port} ({@code beeldbrug.security.tls.enabled=true}): Tomcat's connector speaks TLS
 * 1.3/1.2 with this server's PEM certificate and judges client certificates with the registry's
 * {@link CertificateTrustManager} (trust anchors, validity, CRLs, clientAuth purpose); a refused certificate
 * fails the handshake. {@link ClientCertificateFilter} then names the organisation for each request. The
 * trust manager is a bean, for other TLS listeners (DICOM TLS) to judge clients the same way. The management
 * port is not touched (plain HTTP). Refuses to start without tokens: the certificate says who asks, only the
 * token says why.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beeldbrug.security.tls.enabled", havingValue = "true")
public class MutualTlsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MutualTlsConfiguration.class);

    @Bean
    ReloadingCertificateChecker clientCertificateChecker(TlsProperties tls, TokenProperties tokens) {
        if (!tokens.enabled()) {
            throw new IllegalStateException("beeldbrug.security.tls.enabled=true requires beeldbrug.security.tokens.enabled=true"
                    + " (with issuers and audiences): mutual TLS names the organisation, only the IUA token names the"
                    + " purpose and the professional");
        }
        requireFile("trust-anchors", tls.trustAnchors());
        requireFile("certificate-chain", tls.certificateChain());
        requireFile("private-key", tls.privateKey());
        tls.crls().forEach(crl -> requireFile("crls", crl));
        return new ReloadingCertificateChecker(tls, Clock.systemUTC());
    }

    @Bean
    CertificateTrustManager clientTrustManager(ReloadingCertificateChecker checker, ObjectProvider<MeterRegistry> meters) {
        MeterRegistry registry = meters.getIfAvailable();
        return new CertificateTrustManager(checker, refusal -> {
            log.info("TLS client certificate refused: {}", refusal.getMessage());
            if (registry != null) {
                registry.counter("beeldbrug.tls.client.refused", "reason", refusal.reason().name()).increment();
            }
        });
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> mutualTlsConnector(TlsProperties tls, CertificateTrustManager trust)
            throws IOException {
        SSLContext context = TlsContexts.fromPem(tls.certificateChain(), tls.privateKey(), trust);
        List<X509Certificate> chain = TlsContexts.certificates(tls.certificateChain());
        ProvidedSslContext provided = new ProvidedSslContext(context, chain, List.of(trust.getAcceptedIssuers()));
        return factory -> factory.addConnectorCustomizers(connector -> secure(connector, provided, tls.clientAuthRequired()));
    }

    @Bean
    FilterRegistrationBean<ClientCertificateFilter> clientCertificateFilter(ReloadingCertificateChecker checker,
                                                                           ObjectProvider<AuditContext> auditContext) {
        FilterRegistrationBean<ClientCertificateFilter> registration = new FilterRegistrationBean<>(
                new ClientCertificateFilter(checker, new RefusalAudit(auditContext::getIfAvailable)));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5); // after the request size limit, before the token
        return registration;
    }

    private static void secure(Connector connector, ProvidedSslContext context, boolean clientAuthRequired) {
        if (!(connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> protocol)) {
            throw new IllegalStateException("mutual TLS needs Tomcat's HTTP/1.1 connector, not " + connector.getProtocolHandler());
        }
        connector.setScheme("https");
        connector.setSecure(true);
        protocol.setSSLEnabled(true);
        SSLHostConfig host = new SSLHostConfig();
        host.setHostName(protocol.getDefaultSSLHostConfigName());
        host.setProtocols("TLSv1.2+TLSv1.3");
        host.setCertificateVerification(clientAuthRequired ? "required" : "optional");
        SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
        certificate.setSslContext(context);
        host.addCertificate(certificate);
        protocol.addSslHostConfig(host);
    }

    private static void requireFile(String property, Path file) {
        if (file == null || !Files.isReadable(file)) {
            throw new IllegalStateException("beeldbrug.security.tls." + property + ": no readable file " + file);
        }
    }
}
