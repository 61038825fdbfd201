package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;

/** The association was aborted (by us or the peer), with the A-ABORT source and reason (PS3.8 9.3.8). */
public class AbortException extends IOException {
    public static final int SOURCE_USER = 0;
    public static final int SOURCE_PROVIDER = 2;
    public static final int REASON_NOT_SPECIFIED = 0;
    public static final int REASON_UNRECOGNIZED_PDU = 1;
    public static final int REASON_UNEXPECTED_PDU = 2;
    public static final int REASON_UNRECOGNIZED_PARAMETER = 4;
    public static final int REASON_UNEXPECTED_PARAMETER = 5;
    public static final int REASON_INVALID_PARAMETER = 6;

    private final int source;
    private final int reason;

    public AbortException(int source, int reason, String message) {
        super(message + " (A-ABORT source " + source + ", reason " + reason + ")");
        this.source = source;
        this.reason = reason;
    }

    public int source() {
        return source;
    }

    public int reason() {
        return reason;
    }
}
