package nl.beeldbrug.gateway.fhir;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A FHIR response whose body writer and stream ignore {@code flush()}: the body goes out when the container's buffer
 * fills and when the response ends, as one would expect of a non-streaming answer. HAPI's JSON writer writes every
 * string field through Jackson's {@code ObjectMapper.writeValue}, which flushes after each value; on the servlet writer
 * each flush is a socket write (and an HTTP chunk): the biggest single cost of encoding an answer (issue 9 profile).
 * The bytes sent are the same; only how they are cut into packets and chunks changes. {@code close()} and
 * {@link #flushBuffer()} still reach the container.
 */
final class DeferredFlushResponse extends HttpServletResponseWrapper {

    private PrintWriter writer;
    private ServletOutputStream stream;

    DeferredFlushResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new FilterWriter(super.getWriter()) {
                @Override
                public void flush() {
                    // deferred to the end of the response
                }
            });
        }
        return writer;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            ServletOutputStream out = super.getOutputStream();
            stream = new ServletOutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void flush() {
                    // deferred to the end of the response
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }

                @Override
                public boolean isReady() {
                    return out.isReady();
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    out.setWriteListener(listener);
                }
            };
        }
        return stream;
    }
}
