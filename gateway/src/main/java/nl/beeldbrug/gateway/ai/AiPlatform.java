package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.registry.ai.PlatformPseudonyms;
import nl.beeldbrug.registry.consent.Ura;

/** A configured AI platform: who it is and its pseudonyms (from its own key). */
public record AiPlatform(Ura ura, String name, PlatformPseudonyms pseudonyms) {
}
