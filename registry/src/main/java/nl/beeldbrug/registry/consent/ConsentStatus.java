package nl.beeldbrug.registry.consent;

/**
 * Lifecycle of a consent. Only {@link #ACTIVE} consents take part in decisions. FHIR R4 ConsentState:
 * ACTIVE → {@code active}, INACTIVE → {@code inactive}, REVOKED → {@code inactive} (the revocation
 * time and reason stay in the store's history).
 */
public enum ConsentStatus {
    ACTIVE("active"),
    INACTIVE("inactive"),
    REVOKED("inactive");

    private final String fhirCode;

    ConsentStatus(String fhirCode) {
        this.fhirCode = fhirCode;
    }

    /** The FHIR R4 Consent.status code. */
    public String fhirCode() {
        return fhirCode;
    }
}
