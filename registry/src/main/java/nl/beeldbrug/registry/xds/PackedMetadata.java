package nl.beeldbrug.registry.xds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The stored form of a registry object's or association's metadata JSON: one format byte, then the JSON deflated
 * (java.util.zip, raw deflate) against a preset dictionary of typical XDS-I metadata. The entries of a national index
 * repeat the same keys, code systems and display names, so an entry of ~3 KB of JSON stores in ~250 bytes (PostgreSQL's
 * own TOAST compression got ~1.7 KB, and moved the value out of line); see docs/storage.md.
 * <p>
 * Format 1 uses {@code metadata-dictionary-1.json} beside this class. That file must never change: rows written with it
 * are read with it. A better dictionary is a new format byte and a new file, with the old one kept for reading.
 */
public final class PackedMetadata {

    static final byte FORMAT_1 = 1;
    static final String DICTIONARY_1 = "metadata-dictionary-1.json";

    private static final byte[] DICTIONARY = load(DICTIONARY_1);
    private static final ThreadLocal<Deflater> DEFLATERS = ThreadLocal.withInitial(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true));
    private static final ThreadLocal<Inflater> INFLATERS = ThreadLocal.withInitial(() -> new Inflater(true));

    private PackedMetadata() {
    }

    /** The stored form of this UTF-8 JSON. */
    public static byte[] pack(byte[] json) {
        Deflater deflater = DEFLATERS.get();
        deflater.reset();
        deflater.setDictionary(DICTIONARY);
        deflater.setInput(json);
        deflater.finish();
        byte[] out = new byte[json.length / 4 + 64];
        out[0] = FORMAT_1;
        int length = 1;
        while (!deflater.finished()) {
            if (length == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            length += deflater.deflate(out, length, out.length - length);
        }
        return Arrays.copyOf(out, length);
    }

    /** The UTF-8 JSON of a stored form that {@link #pack} wrote. */
    public static byte[] unpack(byte[] stored) {
        if (stored == null || stored.length < 2 || stored[0] != FORMAT_1) {
            throw new IllegalArgumentException("not packed metadata (format " + (stored == null || stored.length == 0 ? "none" : stored[0]) + ")");
        }
        Inflater inflater = INFLATERS.get();
        inflater.reset();
        inflater.setDictionary(DICTIONARY);
        inflater.setInput(stored, 1, stored.length - 1);
        byte[] out = new byte[Math.max(256, stored.length * 12)];
        int length = 0;
        try {
            while (!inflater.finished()) {
                if (length == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                int n = inflater.inflate(out, length, out.length - length);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("packed metadata is truncated");
                }
                length += n;
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("packed metadata is corrupt: " + e.getMessage(), e);
        }
        return Arrays.copyOf(out, length);
    }

    private static byte[] load(String name) {
        try (InputStream in = PackedMetadata.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " beside " + PackedMetadata.class.getName());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
