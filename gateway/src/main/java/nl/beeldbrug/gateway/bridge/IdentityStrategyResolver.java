package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.bridge.PatientIdentityResolver;

/**
 * A bean of this type makes a strategy of {@code beeldbrug.bridge.sources[].identity.strategy} available to the
 * bridge (HEADER is built in; PIX and XREF are contributed by their configuration).
 */
public record IdentityStrategyResolver(BridgeProperties.Identity.Strategy strategy, PatientIdentityResolver resolver) {
}
