package nl.beeldbrug.adapters.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String B = "b0undary";

    private static byte[] body(String preamble, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.US_ASCII));
        for (byte[] p : parts) {
            out.writeBytes(("--" + B + "\r\nContent-Type: application/dicom\r\nX-Index: 1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + B + "--\r\nepilogue").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static List<byte[]> readAll(InputStream in) throws IOException {
        MultipartReader r = new MultipartReader(in, B);
        List<byte[]> out = new ArrayList<>();
        MultipartReader.Part p;
        while ((p = r.next()) != null) {
            assertThat(p.contentType()).isEqualTo("application/dicom");
            out.add(p.body().readAllBytes());
        }
        return out;
    }

    /** Delivers at most 1..7 bytes per read, to exercise every buffer boundary. */
    private static InputStream trickle(byte[] b, long seed) {
        Random rnd = new Random(seed);
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 1 + rnd.nextInt(7)));
            }
        };
    }

    @Test
    void readsPartsWithAndWithoutPreambleInAnyChunking() throws Exception {
        Random rnd = new Random(42);
        byte[] big = new byte[300_000];
        rnd.nextBytes(big);
        byte[] tricky = ("\r\n--" + B.substring(0, 5) + "\r\n--").getBytes(StandardCharsets.US_ASCII);
        byte[] empty = new byte[0];
        for (String preamble : new String[] {"", "this is a preamble\r\n"}) {
            byte[] body = body(preamble, big, tricky, empty);
            assertThat(readAll(new ByteArrayInputStream(body))).containsExactly(big, tricky, empty);
            assertThat(readAll(trickle(body, 7))).containsExactly(big, tricky, empty);
        }
    }

    @Test
    void skipsUnreadParts() throws Exception {
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(body("", new byte[] {1, 2}, new byte[] {3})), B);
        assertThat(r.next()).isNotNull();
        assertThat(r.next().body().readAllBytes()).containsExactly(3);
        assertThat(r.next()).isNull();
    }

    @Test
    void rejectsTruncatedAndHostileBodies() {
        byte[] body = body("", new byte[1000]);
        byte[] truncated = java.util.Arrays.copyOf(body, 500);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(truncated))).isInstanceOf(MultipartException.class);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream("no boundary here".getBytes())))
                .isInstanceOf(MultipartException.class);
        byte[] hugeHeader = ("--" + B + "\r\nX: " + "a".repeat(20_000) + "\r\n\r\nx\r\n--" + B + "--").getBytes();
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(hugeHeader))).hasMessageContaining("too long");
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(body), "x".repeat(71)))
                .isInstanceOf(MultipartException.class);
    }

    @Test
    void mutatedBodiesNeverHangOrCrash() {
        byte[] body = body("pre\r\n", new byte[2000], "abc".getBytes(), new byte[10]);
        Random rnd = new Random(1);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 2000; i++) {
                byte[] m = body.clone();
                int edits = 1 + rnd.nextInt(8);
                for (int e = 0; e < edits; e++) {
                    m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                }
                byte[] cut = java.util.Arrays.copyOf(m, rnd.nextInt(m.length + 1));
                try {
                    MultipartReader r = new MultipartReader(trickle(cut, i), B);
                    MultipartReader.Part p;
                    while ((p = r.next()) != null) {
                        p.body().readAllBytes();
                    }
                } catch (MultipartException expected) {
                    // malformed input is reported, nothing else
                }
            }
        });
    }

    @Test
    void boundaryFromContentType() throws Exception {
        assertThat(MultipartReader.boundary("multipart/related; type=\"application/dicom\"; boundary=\"abc def\""))
                .isEqualTo("abc def");
        assertThat(MultipartReader.boundary("multipart/related;boundary=xyz")).isEqualTo("xyz");
        assertThatThrownBy(() -> MultipartReader.boundary("application/dicom")).isInstanceOf(MultipartException.class);
    }
}
