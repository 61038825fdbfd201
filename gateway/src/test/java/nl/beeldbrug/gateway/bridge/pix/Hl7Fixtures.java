package nl.beeldbrug.gateway.bridge.pix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Golden HL7 v2 messages under {@code src/test/resources/fixtures/hl7/}: one segment a line, read with CR endings. */
public final class Hl7Fixtures {

    private Hl7Fixtures() {
    }

    public static String read(String name) {
        try (InputStream in = Hl7Fixtures.class.getResourceAsStream("/fixtures/hl7/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\n', '\r');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message as a golden file holds it: segments on lines. */
    static String lines(String er7) {
        return er7.replace('\r', '\n');
    }
}
