package nl.beeldbrug.registry.bridge;

/**
 * A Patient Identity Feed message that cannot be applied; nothing of it is stored. The message names no identifier
 * (it may reach a log and the sender's ACK).
 */
public final class FeedRejectedException extends RuntimeException {

    /** Why, with the place in the message (the HL7 edge maps these to ACK error codes). */
    public enum Error {
        /** no identifier in a domain of a connected XREF source */
        UNKNOWN_DOMAIN("PID", 3),
        /** the BSN fails the elfproef */
        INVALID_BSN("PID", 3),
        /** two different BSNs for one patient */
        AMBIGUOUS_BSN("PID", 3),
        /** A40 without a prior id (MRG-1) in a domain of a connected XREF source */
        NO_PRIOR_ID("MRG", 1),
        /** A40 whose surviving identifiers (PID-3) lack the domain of the prior id */
        NO_SURVIVING_ID("PID", 3);

        private final String segment;
        private final int field;

        Error(String segment, int field) {
            this.segment = segment;
            this.field = field;
        }

        public String segment() {
            return segment;
        }

        public int field() {
            return field;
        }
    }

    private final Error error;

    public FeedRejectedException(Error error, String message) {
        super(message);
        this.error = error;
    }

    public Error error() {
        return error;
    }
}
