package nl.beeldbrug.registry.consent;

/**
 * Why data is asked for (IUA / XUA "purpose of use"). TREAT and COC are the two purposes of the
 * national consent service Mitz (explicit and assumed consent for treatment). RESEARCH and AI are
 * another legal basis: they need a consent that names them explicitly, never a treatment consent.
 */
public enum PurposeOfUse {
    /** Treatment (HL7 v3 ActReason TREAT); Mitz: explicit consent. */
    TREAT("TREAT", true),
    /** Continuity of care (HL7 v3 ActReason COC); Mitz: assumed consent. */
    COC("COC", true),
    /** Health research (HL7 v3 ActReason HRESCH). */
    RESEARCH("HRESCH", false),
    /** Training or running an AI model on the data (project code; no standard ActReason code exists). */
    AI("AI", false);

    private final String code;
    private final boolean treatment;

    PurposeOfUse(String code, boolean treatment) {
        this.code = code;
        this.treatment = treatment;
    }

    /** The code carried in tokens and FHIR Consent.provision.purpose. */
    public String code() {
        return code;
    }

    /** TREAT and COC: the purposes Mitz answers for and a general permit covers. */
    public boolean isTreatment() {
        return treatment;
    }

    /** Secondary use (RESEARCH, AI): only with an explicit permit for exactly this purpose, and de-identified. */
    public boolean isSecondaryUse() {
        return !treatment;
    }

    /** Parses a purpose code (TREAT, COC, HRESCH or RESEARCH, AI); throws {@link IllegalArgumentException} otherwise. */
    public static PurposeOfUse fromCode(String code) {
        for (PurposeOfUse p : values()) {
            if (p.code.equals(code) || p.name().equals(code)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown purpose of use: " + code);
    }
}
