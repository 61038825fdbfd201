package nl.beeldbrug.gateway.security;

/** RFC 8705 certificate-bound access tokens: how {@code cnf.x5t#S256} is enforced. */
public enum CertificateBinding {
    /** {@code cnf} is not looked at. */
    OFF,
    /** A token carrying {@code cnf.x5t#S256} must match the presented client certificate; unbound tokens pass. */
    IF_PRESENT,
    /** Every token must carry {@code cnf.x5t#S256} and match the presented client certificate. */
    REQUIRED
}
