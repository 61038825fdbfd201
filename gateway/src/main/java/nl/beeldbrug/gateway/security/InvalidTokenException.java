package nl.beeldbrug.gateway.security;

/** An access token was refused; {@link #failure()} says why, {@link #getMessage()} in a sentence safe to return. */
public final class InvalidTokenException extends Exception {

    private final TokenFailure failure;

    public InvalidTokenException(TokenFailure failure) {
        this(failure, failure.description());
    }

    /** @param message a more precise sentence; must not contain token content or patient data */
    public InvalidTokenException(TokenFailure failure, String message) {
        super(message, null, false, false);
        this.failure = failure;
    }

    public TokenFailure failure() {
        return failure;
    }
}
