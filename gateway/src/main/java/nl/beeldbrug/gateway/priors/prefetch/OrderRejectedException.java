package nl.beeldbrug.gateway.priors.prefetch;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.ErrorCode;

/**
 * An order that cannot be taken: the acknowledgement code (AE for a bad value, AR for a message of the wrong
 * kind), the HL7 table 0357 error code and the field at fault. The message never holds patient identifiers.
 */
public class OrderRejectedException extends Exception {

    private final AcknowledgmentCode ack;
    private final ErrorCode error;
    private final String segment;
    private final int field;

    public OrderRejectedException(String message, AcknowledgmentCode ack, ErrorCode error, String segment, int field) {
        super(message);
        this.ack = ack;
        this.error = error;
        this.segment = segment;
        this.field = field;
    }

    public AcknowledgmentCode ack() {
        return ack;
    }

    public ErrorCode error() {
        return error;
    }

    public String segment() {
        return segment;
    }

    public int field() {
        return field;
    }
}
