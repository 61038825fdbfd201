package nl.beeldbrug.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.registry.consent.identity.CertificateChecker;
import nl.beeldbrug.registry.consent.identity.CertificateRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

/**
 * Mutual TLS, after the handshake: names the organisation of the client certificate chain and leaves its
 * {@code OrganisationIdentity} in {@link Requesters#CERTIFIED_ORGANISATION} for the consent decision, the
 * token's organisation check and the audit record. The handshake has checked the chain already
 * ({@code CertificateTrustManager}); it is checked again per request because a connection may outlive the
 * certificate's validity or a CRL update. A request without a usable certificate (possible only with
 * {@code client-auth-required=false}) ends with 403 and a body in the protocol of its path, and is on record
 * ({@link RefusalAudit}).
 */
class ClientCertificateFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ClientCertificateFilter.class);
    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final Supplier<CertificateChecker> checker;
    private final RefusalAudit audit;

    ClientCertificateFilter(Supplier<CertificateChecker> checker, RefusalAudit audit) {
        this.checker = checker;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<X509Certificate> certificates = request.getAttribute(CERTIFICATE_ATTRIBUTE) instanceof X509Certificate[] array
                ? List.of(array) : List.of();
        try {
            request.setAttribute(Requesters.CERTIFIED_ORGANISATION, checker.get().check(certificates));
        } catch (CertificateRejectedException e) {
            log.info("Client certificate refused on {} {}: {}", request.getMethod(), request.getRequestURI(), e.reason());
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            EdgeRefusals.body(request, response, BearerTokenFilter.headerSafe("client certificate refused: " + e.getMessage()), false);
            audit.certificateRefused(request, BearerTokenFilter.headerSafe(String.valueOf(e.reason())));
            return;
        }
        chain.doFilter(request, response);
    }
}
