package nl.beeldbrug.registry.consent;

/** The outcome of a consent decision. */
public enum Decision {
    PERMIT, DENY
}
