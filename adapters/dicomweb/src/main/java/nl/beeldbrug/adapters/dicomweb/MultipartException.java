package nl.beeldbrug.adapters.dicomweb;

import java.io.IOException;

/** A malformed or hostile multipart body. */
public class MultipartException extends IOException {
    public MultipartException(String message) {
        super(message);
    }
}
