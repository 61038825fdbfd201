package nl.beeldbrug.registry.consent;

/** The national consent service's (Mitz) answer to a closed question: the four XACML 3.0 decisions. */
public enum NationalConsentAnswer {
    PERMIT, DENY, NOT_APPLICABLE, INDETERMINATE
}
