package nl.beeldbrug.gateway.audit;

import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.ReleaseAudit;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.RefusalAudit;
import nl.beeldbrug.gateway.security.Requesters;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.function.Consumer;

/**
 * Stamps an ATNA message emitted while an HTTP request is being served (XDS through IPF, FHIR through the
 * FhirAuditInterceptor) with that request's requester and consent decisions ({@link ReleaseAudit#stamp}), so
 * that the stored and forwarded record says who asked, for which organisation, why, and what consent withheld.
 * The request is Spring's current one (set on the servlet thread by the request context filter) or, for a
 * SOAP exchange whose reply CXF sends on another thread, the one of the CXF message being processed.
 * Messages outside a request (DICOM, jobs), messages their producer already stamped and the record of a request
 * refused at the edge ({@link RefusalAudit}: nobody was authenticated) are left as they are.
 */
public final class RequestAuditStamp implements Consumer<AuditMessage> {

    private final Requesters requesters;

    public RequestAuditStamp(Requesters requesters) {
        this.requesters = requesters;
    }

    @Override
    public void accept(AuditMessage message) {
        HttpServletRequest request = currentRequest();
        if (request == null || request.getAttribute(RefusalAudit.REFUSED) != null
                || RequesterFields.of(message).organisation() != null) {
            return;
        }
        ReleaseAudit.stamp(message, requesters.of(request), ReleaseLog.of(request));
    }

    /** The HTTP request being served on this thread, or null. */
    static HttpServletRequest currentRequest() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return attributes.getRequest();
        }
        Message cxf = PhaseInterceptorChain.getCurrentMessage();
        if (cxf == null) {
            return null;
        }
        Object request = cxf.get(AbstractHTTPDestination.HTTP_REQUEST);
        if (request == null && cxf.getExchange() != null && cxf.getExchange().getInMessage() != null) {
            request = cxf.getExchange().getInMessage().get(AbstractHTTPDestination.HTTP_REQUEST);
        }
        return request instanceof HttpServletRequest http ? http : null;
    }
}
