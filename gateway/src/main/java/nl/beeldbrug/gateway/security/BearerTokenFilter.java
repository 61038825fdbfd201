package nl.beeldbrug.gateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.security.cert.X509Certificate;

/**
 * ITI-72 at the edge: every request must carry a valid IUA access token; the verified {@link AccessContext}
 * is left in the request attribute {@link AccessContext#REQUEST_ATTRIBUTE}. A refused token ends the request
 * with 401 and {@code WWW-Authenticate: Bearer realm="beeldbrug", error="invalid_token",
 * error_description="…"} (RFC 6750 §3; without an error code when no token was sent at all) and a body in the
 * protocol of the path: a FHIR OperationOutcome (issue code {@code login}) under {@code /fhir}, a SOAP 1.2
 * Sender fault under {@code /services}, plain text elsewhere. Keys that cannot be fetched give 503. With mutual
 * TLS, a token whose {@code subject_organization_id} names another URA than the client certificate is refused
 * ({@link TokenFailure#ORGANISATION_MISMATCH}). Each refusal is the request's one audit record ({@link RefusalAudit}).
 * <p>
 * Registered only when {@code beeldbrug.security.tokens.enabled=true} ({@link TokenSecurityConfiguration}).
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private final AccessTokenVerifier verifier;
    private final RefusalAudit audit;

    public BearerTokenFilter(AccessTokenVerifier verifier) {
        this(verifier, RefusalAudit.none());
    }

    /** @param audit records each refusal (its request's one audit record) */
    public BearerTokenFilter(AccessTokenVerifier verifier, RefusalAudit audit) {
        this.verifier = verifier;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        AccessContext context;
        try {
            context = verifier.verify(request.getHeader("Authorization"), clientCertificate(request));
            sameOrganisationAsCertificate(request, context);
        } catch (InvalidTokenException e) {
            log.info("Access token refused on {} {}: {}", request.getMethod(), request.getRequestURI(), e.failure());
            refuse(request, response, e);
            audit.tokenRefused(request, e.failure());
            return;
        }
        request.setAttribute(AccessContext.REQUEST_ATTRIBUTE, context);
        chain.doFilter(request, response);
    }

    /** With mutual TLS, a token naming an organisation must name the one of the client certificate. */
    private static void sameOrganisationAsCertificate(HttpServletRequest request, AccessContext context)
            throws InvalidTokenException {
        var certified = Requesters.certifiedOrganisation(request);
        if (certified.isPresent() && context.organisation() != null && !context.organisation().equals(certified.get().ura())) {
            throw new InvalidTokenException(TokenFailure.ORGANISATION_MISMATCH,
                    "the token's subject_organization_id is not the organisation of the client certificate");
        }
    }

    private static X509Certificate clientCertificate(HttpServletRequest request) {
        Object chain = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        return chain instanceof X509Certificate[] certificates && certificates.length > 0 ? certificates[0] : null;
    }

    static void refuse(HttpServletRequest request, HttpServletResponse response, InvalidTokenException e) throws IOException {
        boolean unavailable = e.failure() == TokenFailure.KEYS_UNAVAILABLE;
        String description = headerSafe(e.getMessage());
        response.setStatus(unavailable ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : HttpServletResponse.SC_UNAUTHORIZED);
        if (!unavailable) {
            response.setHeader("WWW-Authenticate", e.failure() == TokenFailure.MISSING
                    ? "Bearer realm=\"beeldbrug\""
                    : "Bearer realm=\"beeldbrug\", error=\"invalid_token\", error_description=\"" + description + "\"");
        }
        EdgeRefusals.body(request, response, description, unavailable);
    }

    static String operationOutcome(String description, boolean unavailable) {
        return EdgeRefusals.operationOutcome(description, unavailable);
    }

    /** RFC 6750 §3: error_description holds %x20-21 / %x23-5B / %x5D-7E only. */
    static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            safe.append(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\' ? c : '\'');
        }
        return safe.toString();
    }
}
