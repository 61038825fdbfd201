package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Ura;

import java.util.HashMap;
import java.util.Map;

/**
 * What kind of organisation a URA belongs to (hospital, ZDC, GP, AI platform, ...): the consent engine asks
 * it of requesters (provisions by organisation type) and of data holders (the Mitz question). Known from the
 * connected archives ({@code beeldbrug.bridge.sources}), the directory ({@code beeldbrug.consent.organisations}) and the
 * AI platforms ({@code beeldbrug.ai.platforms}, always {@code ai-platform});
 * anything else has the configured default type.
 */
public final class OrganisationDirectory {

    private final Map<String, OrganisationType> types = new HashMap<>();
    private final OrganisationType defaultType;

    public OrganisationDirectory(ConsentProperties consent, BridgeProperties bridge) {
        this(consent, bridge, java.util.List.of());
    }

    /** As above, and the configured AI platforms ({@code beeldbrug.ai.platforms}) with type {@link OrganisationType#AI_PLATFORM}. */
    public OrganisationDirectory(ConsentProperties consent, BridgeProperties bridge, java.util.Collection<Ura> aiPlatforms) {
        this.defaultType = OrganisationType.of(consent.defaultOrganisationType());
        for (BridgeProperties.Source source : bridge.sources()) {
            if (source.ura() != null) {
                types.put(Ura.of(source.ura()).value(), OrganisationType.of(source.type()));
            }
        }
        for (ConsentProperties.Organisation organisation : consent.organisations()) {
            types.put(Ura.of(organisation.ura()).value(), OrganisationType.of(organisation.type()));
        }
        for (Ura platform : aiPlatforms) {
            types.put(platform.value(), OrganisationType.AI_PLATFORM);
        }
    }

    public OrganisationType typeOf(Ura ura) {
        return types.getOrDefault(ura.value(), defaultType);
    }

    /** The type of a data holder named by a possibly missing or malformed URA string. */
    public OrganisationType typeOf(String ura) {
        return ura != null && ura.matches("[0-9]{8}") ? typeOf(Ura.of(ura)) : defaultType;
    }
}
