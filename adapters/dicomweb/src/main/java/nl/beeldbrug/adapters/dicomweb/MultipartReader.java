package nl.beeldbrug.adapters.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Streaming reader of a multipart/related body (RFC 2046 5.1, PS3.18 8.7.1): each part's body is an
 * {@link InputStream} read straight from the connection, so parts of any size pass without being held in memory.
 * Hostile input is bounded: boundary at most 70 characters, part headers at most 16 KiB, at most
 * {@value #MAX_PARTS} parts; a body that ends before its closing delimiter is an error, not a hang.
 */
public final class MultipartReader {
    public static final int MAX_PARTS = 1_000_000;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    /** One part: lower-case header names, and a body stream valid until {@link #next()} is called again. */
    public record Part(Map<String, String> headers, InputStream body) {
        public String contentType() {
            return headers.getOrDefault("content-type", "application/octet-stream");
        }
    }

    private final InputStream in;
    private final byte[] delimiter; // CRLF--boundary
    private final byte[] buf;
    private int start;
    private int end;
    private boolean eof;
    private boolean done;
    private int parts;
    private PartStream current;

    public MultipartReader(InputStream in, String boundary) throws IOException {
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new MultipartException("invalid multipart boundary");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[64 * 1024 + delimiter.length];
        // a virtual CRLF lets the first delimiter (at the very start, no preamble) match like the others
        buf[0] = '\r';
        buf[1] = '\n';
        end = 2;
        skipTo(true);
    }

    /** The next part, or null after the closing delimiter. */
    public Part next() throws IOException {
        if (current != null) {
            current.skipRest();
            current = null;
        }
        if (done) {
            return null;
        }
        if (++parts > MAX_PARTS) {
            throw new MultipartException("too many parts");
        }
        Map<String, String> headers = readHeaders();
        current = new PartStream();
        return new Part(headers, current);
    }

    /** Skips preamble (or the rest of a part) up to and including the delimiter line. */
    private void skipTo(boolean preamble) throws IOException {
        while (true) {
            int i = indexOf();
            if (i >= 0) {
                start = i + delimiter.length;
                afterDelimiter();
                return;
            }
            if (eof) {
                throw new MultipartException(preamble ? "no multipart boundary found" : "multipart body truncated");
            }
            start = Math.max(start, end - delimiter.length + 1);
            fill();
        }
    }

    private void afterDelimiter() throws IOException {
        ensure(2);
        if (end - start >= 2 && buf[start] == '-' && buf[start + 1] == '-') {
            done = true;
            return;
        }
        // transport padding then CRLF
        while (true) {
            ensure(1);
            if (start >= end) {
                throw new MultipartException("multipart body truncated after delimiter");
            }
            byte b = buf[start++];
            if (b == '\n') {
                return;
            }
            if (b != '\r' && b != ' ' && b != '\t') {
                throw new MultipartException("garbage after multipart delimiter");
            }
        }
    }

    private Map<String, String> readHeaders() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        int total = 0;
        StringBuilder line = new StringBuilder();
        while (true) {
            ensure(1);
            if (start >= end) {
                throw new MultipartException("multipart headers truncated");
            }
            byte b = buf[start++];
            if (++total > MAX_HEADER_BYTES) {
                throw new MultipartException("multipart part headers too long");
            }
            if (b == '\n') {
                String l = line.toString().strip();
                if (l.isEmpty()) {
                    return headers;
                }
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
                }
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) (b & 0xFF));
            }
        }
    }

    private int indexOf() {
        outer:
        for (int i = start; i <= end - delimiter.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void ensure(int n) throws IOException {
        while (end - start < n && !eof) {
            fill();
        }
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            throw new IllegalStateException("buffer full");
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private final class PartStream extends InputStream {
        private boolean finished;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (finished || current != this) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int i = indexOf();
                int avail = i >= 0 ? i - start : end - start - (delimiter.length - 1);
                if (i == start) {
                    start += delimiter.length;
                    finished = true;
                    afterDelimiter();
                    return -1;
                }
                if (avail > 0) {
                    int n = Math.min(len, avail);
                    System.arraycopy(buf, start, b, off, n);
                    start += n;
                    return n;
                }
                if (eof) {
                    throw new MultipartException("multipart body truncated");
                }
                fill();
            }
        }

        void skipRest() throws IOException {
            byte[] sink = new byte[8192];
            while (read(sink, 0, sink.length) >= 0) {
                // discard
            }
        }
    }

    /** Extracts the boundary parameter of a multipart Content-Type header. */
    public static String boundary(String contentType) throws MultipartException {
        if (contentType == null) {
            throw new MultipartException("no Content-Type");
        }
        for (String p : contentType.split(";")) {
            String t = p.trim();
            if (t.regionMatches(true, 0, "boundary=", 0, 9)) {
                String v = t.substring(9).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                return v;
            }
        }
        throw new MultipartException("Content-Type without boundary: " + contentType);
    }
}
