package nl.beeldbrug.registry.consent;

/**
 * How the national consent service (Mitz) takes part in TREAT/COC decisions. RESEARCH and AI are never
 * asked nationally (Mitz covers treatment only). In every mode an applicable local deny wins, and an
 * Indeterminate (or unreachable service) never permits.
 */
public enum NationalConsentMode {
    /** Only the local registry and the default policy decide. */
    LOCAL,
    /** Mitz decides: only its Permit releases (and only when no local deny applies). */
    NATIONAL,
    /**
     * Mitz first: Permit releases, Deny and Indeterminate deny; on NotApplicable an explicit local permit
     * releases (the default policy is not used when the national service is consulted).
     */
    NATIONAL_OR_LOCAL
}
