package nl.beeldbrug.adapters.dicom.net;

import java.io.IOException;

/** A-ASSOCIATE-RJ received or sent (PS3.8 9.3.4): result 1 permanent / 2 transient, source, reason. */
public class RejectException extends IOException {
    public static final int PERMANENT = 1;
    public static final int TRANSIENT = 2;
    public static final int SOURCE_USER = 1;
    public static final int SOURCE_ACSE = 2;
    public static final int SOURCE_PRESENTATION = 3;
    public static final int USER_NO_REASON = 1;
    public static final int USER_APP_CONTEXT_NOT_SUPPORTED = 2;
    public static final int USER_CALLING_AE_NOT_RECOGNIZED = 3;
    public static final int USER_CALLED_AE_NOT_RECOGNIZED = 7;
    public static final int ACSE_PROTOCOL_VERSION_NOT_SUPPORTED = 2;
    public static final int PRESENTATION_LOCAL_LIMIT_EXCEEDED = 2;

    private final int result;
    private final int source;
    private final int reason;

    public RejectException(int result, int source, int reason) {
        super("association rejected: result " + result + ", source " + source + ", reason " + reason);
        this.result = result;
        this.source = source;
        this.reason = reason;
    }

    public int result() {
        return result;
    }

    public int source() {
        return source;
    }

    public int reason() {
        return reason;
    }
}
