package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A WADO-RS answer streamed part by part (PS3.18 8.7): the status and content type are set with the first part, so a
 * source that fails before it can still be answered with an error. Used by the WADO-RS of the bridge and the
 * de-identified one for AI platforms.
 */
public sealed interface DicomWebResponse permits DicomWebResponse.Multipart, DicomWebResponse.JsonArray {

    /** Whether the first part has been written (the status and headers are then sent). */
    boolean started();

    /** Ends the answer; only after a first part. */
    void finish() throws IOException;

    /** Writes one part's body into the stream it is given; closing that stream does not end the answer. */
    @FunctionalInterface
    interface PartBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /** {@code multipart/related; type="application/dicom"}: one PS3.10 instance per part. */
    final class Multipart implements DicomWebResponse {
        private final HttpServletResponse rs;
        private final String boundary = "beeldbrug-" + UUID.randomUUID();
        private OutputStream out;

        public Multipart(HttpServletResponse rs) {
            this.rs = rs;
        }

        public void part(PartBody body) throws IOException {
            if (out == null) {
                rs.setStatus(200);
                rs.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary);
                out = rs.getOutputStream();
            }
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            body.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the response stays open for the next part
                }
            });
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public boolean started() {
            return out != null;
        }

        @Override
        public void finish() throws IOException {
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** {@code application/dicom+json}: a JSON array of data sets, written element by element. */
    final class JsonArray implements DicomWebResponse {
        private final HttpServletResponse rs;
        private final ObjectMapper mapper;
        private JsonGenerator json;

        public JsonArray(HttpServletResponse rs, ObjectMapper mapper) {
            this.rs = rs;
            this.mapper = mapper;
        }

        public void add(JsonNode node) throws IOException {
            if (json == null) {
                rs.setStatus(200);
                rs.setContentType("application/dicom+json");
                json = mapper.getFactory().createGenerator(rs.getOutputStream());
                json.writeStartArray();
            }
            mapper.writeTree(json, node);
        }

        @Override
        public boolean started() {
            return json != null;
        }

        @Override
        public void finish() throws IOException {
            json.writeEndArray();
            json.flush();
        }
    }
}
