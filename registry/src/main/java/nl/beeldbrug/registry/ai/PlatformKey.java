package nl.beeldbrug.registry.ai;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

/**
 * An AI platform's secret pseudonymisation key (HMAC-SHA256), at least {@value #MIN_BYTES} bytes. Kept outside the
 * repository: read from a file the configuration names. {@link #toString()} never shows it.
 */
public final class PlatformKey {

    /** The shortest key accepted: 256 bits, the HMAC-SHA256 block's security level. */
    public static final int MIN_BYTES = 32;

    private final byte[] secret;

    private PlatformKey(byte[] secret) {
        this.secret = secret;
    }

    /** A key of these bytes (copied); refuses fewer than {@value #MIN_BYTES}. */
    public static PlatformKey of(byte[] secret) {
        if (secret == null || secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("a platform key has at least " + MIN_BYTES + " bytes");
        }
        return new PlatformKey(secret.clone());
    }

    /**
     * Reads a key file: base64 text (one line, surrounding white space ignored) when the file is that, else its raw
     * bytes. Refuses a missing file and a key of fewer than {@value #MIN_BYTES} bytes, naming the file (never the key).
     */
    public static PlatformKey read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the platform key file " + file, e);
        }
        byte[] secret = decodeBase64(content);
        if (secret == null) {
            secret = content;
        }
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("the platform key in " + file + " is shorter than " + MIN_BYTES
                    + " bytes (" + secret.length + ")");
        }
        return new PlatformKey(secret);
    }

    private static byte[] decodeBase64(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1).strip();
        if (text.isEmpty() || !text.matches("[A-Za-z0-9+/_-]+={0,2}")) {
            return null;
        }
        try {
            return text.contains("-") || text.contains("_") ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The key bytes (a copy), for the HMAC. */
    byte[] bytes() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlatformKey other && java.security.MessageDigest.isEqual(other.secret, secret);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(secret);
    }

    @Override
    public String toString() {
        return "PlatformKey(" + secret.length + " bytes)";
    }
}
