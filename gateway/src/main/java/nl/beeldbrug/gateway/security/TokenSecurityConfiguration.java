package nl.beeldbrug.gateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Token checking on {@code /fhir/*}, {@code /services/*}, {@code /dicomweb/*}, {@code /api/*}, {@code /cds-services/*} and {@code /ai/*} (AI platforms); present only with {@code beeldbrug.security.tokens.enabled=true}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beeldbrug.security.tokens.enabled", havingValue = "true")
public class TokenSecurityConfiguration {

    @Bean
    AccessTokenVerifier accessTokenVerifier(TokenProperties properties) {
        return verifier(properties, Clock.systemUTC());
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(AccessTokenVerifier verifier, ObjectProvider<AuditContext> auditContext) {
        FilterRegistrationBean<BearerTokenFilter> registration = new FilterRegistrationBean<>(
                new BearerTokenFilter(verifier, new RefusalAudit(auditContext::getIfAvailable)));
        registration.addUrlPatterns("/fhir/*", "/services/*", "/dicomweb/*", "/api/*", "/cds-services/*", "/ai/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10); // after the request size limit
        return registration;
    }

    /** Builds the verifier from configuration; fails at start-up on an unusable configuration. */
    static AccessTokenVerifier verifier(TokenProperties properties, Clock clock) {
        Map<String, IssuerKeys> issuers = new LinkedHashMap<>();
        for (TokenProperties.Issuer issuer : properties.issuers()) {
            if (issuer.id() == null || issuer.id().isBlank()) {
                throw new IllegalArgumentException("beeldbrug.security.tokens.issuers[].id is required");
            }
            if ((issuer.jwksUrl() == null) == (issuer.jwksFile() == null)) {
                throw new IllegalArgumentException("issuer " + issuer.id() + ": set exactly one of jwks-url and jwks-file");
            }
            issuers.put(issuer.id(), issuer.jwksUrl() != null
                    ? new RemoteJwks(issuer.jwksUrl(), issuer.timeout(), issuer.cacheTtl(), issuer.minRefreshInterval(), clock)
                    : new FileJwks(issuer.jwksFile()));
        }
        return new AccessTokenVerifier(issuers, properties.audiences(),
                properties.algorithms().stream().map(JWSAlgorithm::parse).toList(),
                properties.clockSkew(), properties.certificateBinding(), clock);
    }
}
