package nl.beeldbrug.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.cxf.binding.soap.SoapMessage;
import org.apache.cxf.binding.soap.interceptor.AbstractSoapInterceptor;
import org.apache.cxf.interceptor.Fault;
import org.apache.cxf.phase.Phase;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import javax.xml.namespace.QName;
import java.io.IOException;
import java.util.Set;

/**
 * SOAP 1.2 HTTP binding (part 2, 7.5.1.2): a fault whose code is {@code env:Sender} (the request was
 * malformed, too deep, of the wrong kind) is answered with HTTP 400, not CXF's fixed 500, so that
 * clients and proxies see whose fault it was; Receiver faults stay 500. CXF's SOAP fault writer sets
 * 500 itself, so the CXF side only marks the request ({@link Marker}) and a servlet filter turns that
 * 500 into 400. A body that grew past the request size limit while it was read (chunked) is always
 * the client's fault: 413, whatever fault the SOAP stack made of the failed read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class SenderFaultStatus extends OncePerRequestFilter {

    static final String ATTRIBUTE = SenderFaultStatus.class.getName();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/services/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setStatus(int status) {
                super.setStatus(status < 500 ? status
                        : Boolean.TRUE.equals(request.getAttribute(RequestSizeLimitFilter.EXCEEDED)) ? 413
                        : status == 500 && Boolean.TRUE.equals(request.getAttribute(ATTRIBUTE)) ? 400
                        : status);
            }
        });
    }

    /** On CXF's out-fault chain: marks the HTTP request when the fault is the sender's. */
    public static class Marker extends AbstractSoapInterceptor {

        private static final Set<QName> SENDER_CODES = Set.of(
                Fault.FAULT_CODE_CLIENT,
                new QName("http://www.w3.org/2003/05/soap-envelope", "Sender"),
                new QName("http://schemas.xmlsoap.org/soap/envelope/", "Client"));

        public Marker() {
            super(Phase.PREPARE_SEND);
        }

        @Override
        public void handleMessage(SoapMessage message) {
            Exception exception = message.getContent(Exception.class);
            if (exception instanceof Fault fault && SENDER_CODES.contains(fault.getFaultCode())
                    && message.getExchange().getInMessage() != null
                    && message.getExchange().getInMessage().get("HTTP.REQUEST") instanceof HttpServletRequest request) {
                request.setAttribute(ATTRIBUTE, Boolean.TRUE);
            }
        }
    }
}
