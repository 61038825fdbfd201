package nl.beeldbrug.gateway.ai;

import java.util.Objects;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;

/**
 * Who may use the AI release: a configured AI platform (its URA from the checked certificate or token, the directory
 * type {@code ai-platform}) asking with purpose {@code AI}, a purpose configured for it. Anything else is refused
 * with {@link AiAccessDenied}, which each protocol turns into its 403.
 */
public final class AiAccess {

    private final AiPlatforms platforms;

    public AiAccess(AiPlatforms platforms) {
        this.platforms = Objects.requireNonNull(platforms, "platforms");
    }

    /** The calling platform; throws {@link AiAccessDenied} when the context is not a platform asking for purpose AI. */
    public AiPlatform require(RequestContext context) {
        AiPlatform platform = platforms.byUra(context.organisation())
                .orElseThrow(() -> new AiAccessDenied("the requester is not a configured AI platform"));
        if (!OrganisationType.AI_PLATFORM.equals(context.organisationType())) {
            throw new AiAccessDenied("the requester is not registered as an AI platform");
        }
        if (context.purpose() != PurposeOfUse.AI || !platforms.purposesOf(platform.ura()).contains(PurposeOfUse.AI)) {
            throw new AiAccessDenied("the AI release needs purpose of use AI");
        }
        return platform;
    }
}
