package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;

import java.util.Map;

/**
 * The {@link PatientIdentityResolver} of the bridge: each connected source's own strategy (HEADER, PIX or XREF,
 * from configuration), chosen by the source id.
 */
public final class SourceIdentityResolvers implements PatientIdentityResolver {

    private final Map<String, PatientIdentityResolver> bySource;

    public SourceIdentityResolvers(Map<String, PatientIdentityResolver> bySource) {
        this.bySource = Map.copyOf(bySource);
    }

    @Override
    public IdentityResolution resolve(String sourceId, DicomPatient patient) {
        PatientIdentityResolver resolver = bySource.get(sourceId);
        if (resolver == null) {
            return IdentityResolution.unresolved(Reason.NO_BSN, "no connected source " + sourceId);
        }
        return resolver.resolve(sourceId, patient);
    }
}
