package nl.beeldbrug.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.gateway.security.RefusalAudit;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Locale;

/**
 * A SOAP request must say it is one: {@code application/soap+xml} (SOAP 1.2), {@code multipart/related}
 * (MTOM/XOP) or {@code text/xml} (SOAP 1.1, which the endpoints answer with a version-mismatch fault).
 * Anything else is refused with 415 and a SOAP Sender fault before it is parsed; that refusal is the request's
 * one audit record ({@link RefusalAudit#requestRefused}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class SoapContentTypeFilter extends OncePerRequestFilter {

    private static final String REASON = "Content-Type must be application/soap+xml or multipart/related (MTOM)";

    private final RefusalAudit audit;

    public SoapContentTypeFilter() {
        this(RefusalAudit.none());
    }

    @Autowired
    public SoapContentTypeFilter(ObjectProvider<AuditContext> auditContext) {
        this(new RefusalAudit(auditContext::getIfAvailable));
    }

    /** @param audit records each refusal (its request's one audit record) */
    public SoapContentTypeFilter(RefusalAudit audit) {
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !request.getRequestURI().startsWith("/services/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (acceptable(request.getContentType())) {
            chain.doFilter(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE);
        response.setContentType("application/soap+xml; charset=UTF-8");
        response.getWriter().write(SoapFaults.sender(REASON));
        audit.requestRefused(request, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, REASON);
    }

    static boolean acceptable(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";", 2)[0].trim();
        return type.equals("application/soap+xml") || type.equals("multipart/related") || type.equals("text/xml");
    }
}
