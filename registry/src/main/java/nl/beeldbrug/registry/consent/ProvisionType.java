package nl.beeldbrug.registry.consent;

/** FHIR R4 Consent.provision.type. */
public enum ProvisionType {
    PERMIT, DENY;

    public String fhirCode() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
