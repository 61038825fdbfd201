package nl.beeldbrug.gateway.xds;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.util.Optional;

/**
 * The HTTP request of the SOAP call being answered, as the XDS routes reach it: IPF's CXF endpoints run the
 * Camel route synchronously on the servlet thread, where CXF keeps the current message (and in it the servlet
 * request) and Spring keeps the request attributes. The bearer-token and mutual-TLS filters leave their results
 * there as request attributes; the consent decisions of the call are logged there for its audit record.
 */
final class SoapRequests {

    private SoapRequests() {
    }

    /** The servlet request of the current SOAP call; empty outside one. */
    static Optional<HttpServletRequest> current() {
        Message message = PhaseInterceptorChain.getCurrentMessage();
        if (message != null && message.get(AbstractHTTPDestination.HTTP_REQUEST) instanceof HttpServletRequest request) {
            return Optional.of(request);
        }
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            return Optional.of(servlet.getRequest());
        }
        return Optional.empty();
    }
}
