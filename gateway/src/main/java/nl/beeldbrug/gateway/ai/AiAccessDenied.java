package nl.beeldbrug.gateway.ai;

/** The requester is not a configured AI platform asking with purpose AI (403 in each protocol's shape). */
public final class AiAccessDenied extends RuntimeException {

    public AiAccessDenied(String message) {
        super(message);
    }
}
