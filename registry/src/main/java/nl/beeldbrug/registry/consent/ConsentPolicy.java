package nl.beeldbrug.registry.consent;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Configuration of the decision engine: the default per purpose when no provision applies, and how the
 * national consent service takes part. Defaults: TREAT and COC permit unless denied (opt-out), RESEARCH
 * and AI deny unless explicitly permitted (opt-in), national service not consulted.
 * <p>
 * A permitting default for RESEARCH or AI is refused: secondary use is never inferred, not even by
 * configuration.
 */
public final class ConsentPolicy {

    private final Map<PurposeOfUse, Decision> defaults;
    private final NationalConsentMode nationalMode;

    private ConsentPolicy(Map<PurposeOfUse, Decision> defaults, NationalConsentMode nationalMode) {
        this.defaults = defaults;
        this.nationalMode = nationalMode;
    }

    public static ConsentPolicy defaults() {
        Map<PurposeOfUse, Decision> d = new EnumMap<>(PurposeOfUse.class);
        for (PurposeOfUse p : PurposeOfUse.values()) {
            d.put(p, p.isTreatment() ? Decision.PERMIT : Decision.DENY);
        }
        return new ConsentPolicy(d, NationalConsentMode.LOCAL);
    }

    /** A copy with another default for one purpose; a PERMIT default for RESEARCH or AI is refused. */
    public ConsentPolicy withDefault(PurposeOfUse purpose, Decision decision) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(decision, "decision");
        if (purpose.isSecondaryUse() && decision == Decision.PERMIT) {
            throw new IllegalArgumentException(purpose + " needs an explicit permit; it cannot be permitted by default");
        }
        Map<PurposeOfUse, Decision> d = new EnumMap<>(defaults);
        d.put(purpose, decision);
        return new ConsentPolicy(d, nationalMode);
    }

    public ConsentPolicy withNationalMode(NationalConsentMode mode) {
        return new ConsentPolicy(defaults, Objects.requireNonNull(mode, "mode"));
    }

    public Decision defaultFor(PurposeOfUse purpose) {
        return defaults.get(purpose);
    }

    public NationalConsentMode nationalMode() {
        return nationalMode;
    }

    /** True when a request for this purpose must be put to the national consent service. */
    public boolean asksNationally(PurposeOfUse purpose) {
        return nationalMode != NationalConsentMode.LOCAL && purpose.isTreatment();
    }

    @Override
    public String toString() {
        return "ConsentPolicy" + defaults + " national=" + nationalMode;
    }
}
