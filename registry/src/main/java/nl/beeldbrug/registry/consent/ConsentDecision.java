package nl.beeldbrug.registry.consent;

import java.util.Objects;
import java.util.Set;

/**
 * The answer of the decision engine.
 *
 * @param decision    permit or deny
 * @param rule        the rule that decided
 * @param consentId   the consent whose provision decided, or null when a default or the national service decided
 * @param obligations what a release must do (empty for a deny)
 */
public record ConsentDecision(Decision decision, DecisionRule rule, String consentId, Set<Obligation> obligations) {

    public ConsentDecision {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(rule, "rule");
        obligations = Set.copyOf(obligations);
        if (decision == Decision.DENY && !obligations.isEmpty()) {
            throw new IllegalArgumentException("a deny carries no obligations");
        }
    }

    public boolean permitted() {
        return decision == Decision.PERMIT;
    }

    /** One line for the audit trail (no patient data): e.g. {@code DENY by STUDY_DENY of consent c-17}. */
    public String explanation() {
        return decision + " by " + rule + (consentId == null ? "" : " of consent " + consentId)
                + (obligations.isEmpty() ? "" : " with " + obligations);
    }
}
