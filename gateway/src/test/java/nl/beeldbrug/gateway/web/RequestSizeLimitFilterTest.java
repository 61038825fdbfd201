package nl.beeldbrug.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestSizeLimitFilterTest {

    private final RequestSizeLimitFilter filter = new RequestSizeLimitFilter(properties(DataSize.ofBytes(100)));

    @Test
    void declaredOversizedSoapBodyIsRefusedWith413AndASoapFault() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/services/registry/iti42");
        request.setContent(new byte[101]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        AtomicReference<Boolean> passed = new AtomicReference<>(false);

        filter.doFilter(request, response, (req, res) -> passed.set(true));

        assertThat(passed.get()).isFalse();
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentType()).startsWith("application/soap+xml");
        assertThat(response.getContentAsString()).contains("soap:Sender").contains("exceeds the limit of 100 bytes");
    }

    @Test
    void bodyWithinTheLimitPassesUntouched() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/services/registry/iti18");
        request.setContent(new byte[100]);
        AtomicReference<Integer> read = new AtomicReference<>();

        filter.doFilter(request, new MockHttpServletResponse(),
                (req, res) -> read.set(((HttpServletRequest) req).getInputStream().readAllBytes().length));

        assertThat(read.get()).isEqualTo(100);
    }

    @Test
    void chunkedBodyFailsWhenItGrowsPastTheLimit() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/services/registry/iti18") {
            @Override
            public long getContentLengthLong() {
                return -1; // chunked: no declared length
            }
        };
        request.setContent(new byte[1000]);
        FilterChain chain = (req, res) -> {
            try (InputStream in = ((HttpServletRequest) req).getInputStream()) {
                in.readAllBytes();
            }
        };

        assertThatThrownBy(() -> filter.doFilter(request, new MockHttpServletResponse(), chain))
                .isInstanceOf(IOException.class).hasMessageContaining("exceeds the limit");
    }

    @Test
    void soapFaultAfterAChunkedBodyOverTheLimitIs413WhateverTheFaultCode() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/services/repository/iti41") {
            @Override
            public long getContentLengthLong() {
                return -1;
            }
        };
        request.setContent(new byte[1000]);
        MockHttpServletResponse response = new MockHttpServletResponse();
        // as CXF does when the read fails inside a phase that reports a Receiver fault: status 500
        FilterChain soapStack = (req, res) -> {
            try (InputStream in = ((HttpServletRequest) req).getInputStream()) {
                in.readAllBytes();
            } catch (IOException failedRead) {
                ((jakarta.servlet.http.HttpServletResponse) res).setStatus(500);
            }
        };

        filter.doFilter(request, response, (req, res) -> new SenderFaultStatus().doFilter(req, res, soapStack));

        assertThat(response.getStatus()).isEqualTo(413);
    }

    @Test
    void receiverFaultWithinTheLimitStays500() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/services/repository/iti41");
        request.setContent(new byte[10]);
        MockHttpServletResponse response = new MockHttpServletResponse();

        filter.doFilter(request, response, (req, res) -> new SenderFaultStatus().doFilter(req, res,
                (in, out) -> ((jakarta.servlet.http.HttpServletResponse) out).setStatus(500)));

        assertThat(response.getStatus()).isEqualTo(500);
    }

    private static BeeldbrugProperties properties(DataSize maxRequestSize) {
        return new BeeldbrugProperties(
                new BeeldbrugProperties.Db(null, "postgres", null, Path.of("data/postgres"), 10),
                new BeeldbrugProperties.Xds("1.2.3", "urn:oid:1.2.3", DataSize.ofMegabytes(1), 100),
                new BeeldbrugProperties.Audit(false, null),
                new BeeldbrugProperties.Http(maxRequestSize, 64, 1000),
                new BeeldbrugProperties.Demo(false, 0, 1));
    }
}
