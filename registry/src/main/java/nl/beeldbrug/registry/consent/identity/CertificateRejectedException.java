package nl.beeldbrug.registry.consent.identity;

/** A client certificate that does not identify a trusted organisation; the edge answers 401/403 or refuses TLS. */
public class CertificateRejectedException extends Exception {

    /** Why the certificate was refused. */
    public enum Reason {
        /** No certificate was presented. */
        NO_CERTIFICATE,
        /** Its extended key usage does not allow TLS client authentication. */
        NOT_FOR_CLIENT_AUTH,
        /** It does not chain to a configured trust anchor (or its signature is wrong). */
        UNTRUSTED,
        /** It (or a CA certificate in its chain) has expired. */
        EXPIRED,
        /** It (or a CA certificate in its chain) is not valid yet. */
        NOT_YET_VALID,
        /** A CRL of its issuer lists it (or a CA certificate in its chain). */
        REVOKED,
        /** No current CRL of an issuer in the chain is configured, and CRLs are required. */
        REVOCATION_UNKNOWN,
        /** Neither a UZI otherName nor the configured mapping gives a URA. */
        NO_ORGANISATION,
        /** The UZI otherName and the configured mapping name different organisations. */
        ORGANISATION_MISMATCH
    }

    private final Reason reason;

    public CertificateRejectedException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public CertificateRejectedException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
