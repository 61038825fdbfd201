package nl.beeldbrug.registry.consent;

/** Which rule of the precedence (docs/consent.md) decided; carried in the decision for the audit trail. */
public enum DecisionRule {
    /** 1. An active, in-period deny naming this study decided. */
    STUDY_DENY,
    /** 2. An active, in-period permit naming this study decided. */
    STUDY_PERMIT,
    /** 3. An active, in-period deny about all studies decided. */
    DENY,
    /** 4. An active, in-period permit about all studies decided. */
    PERMIT,
    /** 5. No provision applied: the configured default for the purpose permitted (treatment purposes only). */
    DEFAULT_PERMIT,
    /** 5. No provision applied: the configured default for the purpose denied (always so for RESEARCH and AI). */
    DEFAULT_DENY,
    /** National consent service answered Permit. */
    NATIONAL_PERMIT,
    /** National consent service answered Deny. */
    NATIONAL_DENY,
    /** National consent service answered NotApplicable and no local permit applied. */
    NATIONAL_NOT_APPLICABLE,
    /** National consent service answered Indeterminate, failed, or could not be asked: fail closed. */
    NATIONAL_INDETERMINATE
}
