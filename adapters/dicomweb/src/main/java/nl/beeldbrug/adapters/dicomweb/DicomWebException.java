package nl.beeldbrug.adapters.dicomweb;

import java.io.IOException;

/** A DICOMweb request answered with a non-2xx HTTP status. */
public class DicomWebException extends IOException {
    private final int status;

    public DicomWebException(int status, String request) {
        super(request + " answered HTTP " + status);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
