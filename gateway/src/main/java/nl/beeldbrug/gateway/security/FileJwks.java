package nl.beeldbrug.gateway.security;

import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.text.ParseException;

/**
 * An issuer's JWKS from a local file (for issuers that publish no JWKS URL, or offline set-ups). The file
 * is read again when a token names an unknown key id and the file has changed since it was read.
 */
public final class FileJwks implements IssuerKeys {

    private static final Logger log = LoggerFactory.getLogger(FileJwks.class);

    private final Path file;
    private JWKSet cached;
    private FileTime readAt;

    public FileJwks(Path file) {
        this.file = file;
    }

    @Override
    public synchronized JWKSet keys() throws InvalidTokenException {
        if (cached == null) {
            read();
        }
        if (cached == null) {
            throw new InvalidTokenException(TokenFailure.KEYS_UNAVAILABLE);
        }
        return cached;
    }

    @Override
    public synchronized JWKSet keysAfterUnknownKeyId() throws InvalidTokenException {
        try {
            if (cached == null || !Files.getLastModifiedTime(file).equals(readAt)) {
                read();
            }
        } catch (IOException e) {
            log.warn("JWKS file {} cannot be read: {}", file, e.getMessage());
        }
        return keys();
    }

    private void read() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            cached = JWKSet.parse(Files.readString(file)).toPublicJWKSet();
            readAt = modified;
        } catch (IOException | ParseException e) {
            log.warn("JWKS file {} cannot be read: {}", file, e.getMessage());
        }
    }
}
