package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;

/** A DIMSE operation ended with a failure status. */
public class DimseException extends IOException {
    private final int status;

    public DimseException(String operation, int status) {
        super(operation + " failed with status 0x" + Integer.toHexString(status));
        this.status = status;
    }

    public int status() {
        return status;
    }
}
