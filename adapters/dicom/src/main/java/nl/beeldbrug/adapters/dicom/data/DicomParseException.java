package nl.beeldbrug.adapters.dicom.data;

import java.io.IOException;

/** Malformed or hostile encoded data: a length out of bounds, nesting too deep, a truncated value. */
public class DicomParseException extends IOException {
    public DicomParseException(String message) {
        super(message);
    }
}
