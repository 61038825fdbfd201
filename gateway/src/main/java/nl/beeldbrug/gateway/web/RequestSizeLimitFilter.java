package nl.beeldbrug.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.gateway.security.RefusalAudit;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses request bodies above {@code beeldbrug.http.max-request-size}: at once with 413 when the
 * declared Content-Length is too large, and by failing the read when a chunked body grows past it,
 * so that no oversized request is buffered, stored or half-processed. A request refused at once gets its one
 * audit record here ({@link RefusalAudit#requestRefused}); a chunked one is refused, and audited, by its endpoint.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    /**
     * Request attribute set when a chunked body grew past the limit: whatever the SOAP stack makes of
     * the failed read, the answer is then a client error ({@link SenderFaultStatus} turns it into 413).
     */
    public static final String EXCEEDED = RequestSizeLimitFilter.class.getName() + ".exceeded";

    private final long maxBytes;
    private final RefusalAudit audit;

    public RequestSizeLimitFilter(BeeldbrugProperties properties) {
        this(properties, RefusalAudit.none());
    }

    @Autowired
    public RequestSizeLimitFilter(BeeldbrugProperties properties, ObjectProvider<AuditContext> auditContext) {
        this(properties, new RefusalAudit(auditContext::getIfAvailable));
    }

    /** @param audit records each refusal (its request's one audit record) */
    public RequestSizeLimitFilter(BeeldbrugProperties properties, RefusalAudit audit) {
        this.maxBytes = properties.http().maxRequestSize().toBytes();
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setHeader("Connection", "close");
            if (request.getRequestURI().startsWith("/services/")) {
                response.setContentType("application/soap+xml; charset=UTF-8");
                response.getWriter().write(SoapFaults.sender("request body of " + declared
                        + " bytes exceeds the limit of " + maxBytes + " bytes"));
            } else if (request.getRequestURI().startsWith("/fhir")) {
                response.setContentType("application/fhir+json; charset=UTF-8");
                response.getWriter().write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                        + "\"code\":\"too-long\",\"diagnostics\":\"request body exceeds the limit of " + maxBytes + " bytes\"}]}");
            } else {
                response.setContentType("text/plain; charset=UTF-8");
                response.getWriter().write("request body exceeds the limit of " + maxBytes + " bytes\n");
            }
            audit.requestRefused(request, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
                    "request body of " + declared + " bytes exceeds the limit of " + maxBytes + " bytes");
            return;
        }
        chain.doFilter(declared >= 0 ? request : new LimitedRequest(request, maxBytes), response);
    }

    /** A request whose body stream fails once more than {@code limit} bytes were read. */
    static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), limit,
                        () -> setAttribute(EXCEEDED, Boolean.TRUE));
            }
            return stream;
        }
    }

    static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private final Runnable onExceeded;
        private long read;

        LimitedStream(ServletInputStream in, long limit, Runnable onExceeded) {
            this.in = in;
            this.limit = limit;
            this.onExceeded = onExceeded;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                onExceeded.run();
                throw new IOException("request body exceeds the limit of " + limit + " bytes");
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
