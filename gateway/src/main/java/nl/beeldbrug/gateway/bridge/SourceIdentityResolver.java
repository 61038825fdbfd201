package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.bridge.DicomPatient;
import nl.beeldbrug.registry.bridge.IdentityResolution;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Dispatches to the strategy configured for each source ({@code identity.strategy}). */
final class SourceIdentityResolver implements PatientIdentityResolver {

    private final BridgeProperties bridge;
    private final Map<BridgeProperties.Identity.Strategy, PatientIdentityResolver> strategies =
            new EnumMap<>(BridgeProperties.Identity.Strategy.class);

    SourceIdentityResolver(BridgeProperties bridge, List<IdentityStrategyResolver> contributed) {
        this.bridge = bridge;
        strategies.put(BridgeProperties.Identity.Strategy.HEADER, new nl.beeldbrug.registry.bridge.HeaderIdentityResolver());
        contributed.forEach(c -> strategies.put(c.strategy(), c.resolver()));
    }

    @Override
    public IdentityResolution resolve(String sourceId, DicomPatient patient) {
        BridgeProperties.Identity.Strategy strategy = bridge.source(sourceId)
                .map(s -> s.identity().strategy()).orElse(BridgeProperties.Identity.Strategy.HEADER);
        PatientIdentityResolver resolver = strategies.get(strategy);
        if (resolver == null) {
            return IdentityResolution.unresolved(IdentityResolution.Reason.UNAVAILABLE,
                    "identity strategy " + strategy + " is not available in this gateway");
        }
        return resolver.resolve(sourceId, patient);
    }
}
