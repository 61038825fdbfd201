package nl.beeldbrug.registry.consent;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The one consent decision: a pure function of (request context, the patient's consents, the resource's
 * metadata, the national service's answer) to permit or deny with the deciding rule and obligations.
 * No I/O, no clock (the time is in the request context); the same inputs in any order give the same
 * answer. Enforced at every release point; a denied study must look exactly like an absent one.
 * <p>
 * Precedence (docs/consent.md):
 * <ol>
 *   <li>Only ACTIVE consents of the resource's patient count, and of those only provisions that apply:
 *       actor (URA or organisation type; none = anyone), purpose (a permit without purposes covers TREAT
 *       and COC only; a deny without purposes covers all), period at the request time, data class, study.
 *       Revoked, inactive and out-of-period consents are as if absent.</li>
 *   <li>The most specific level that has an applicable provision decides: provisions naming this study
 *       outrank provisions about all studies; within a level a deny beats a permit. So: study deny, study
 *       permit, general deny, general permit.</li>
 *   <li>RESEARCH and AI: only an applicable permit (which necessarily names that purpose) releases, always
 *       with {@link Obligation#DE_IDENTIFY}; otherwise deny. The national service is not asked.</li>
 *   <li>TREAT and COC, by {@link NationalConsentMode}: LOCAL — the local level decides, else the configured
 *       default; NATIONAL — a local deny denies, else only a national Permit permits; NATIONAL_OR_LOCAL — a
 *       local deny denies, national Permit permits, Deny and Indeterminate deny, NotApplicable falls back to
 *       an explicit local permit (no default). A missing national answer counts as Indeterminate.</li>
 * </ol>
 * When several consents decide at one level, the smallest consent id is named, so the explanation does not
 * depend on the order the consents were read in.
 */
public final class ConsentDecisionEngine {

    private static final Comparator<Match> DETERMINISTIC =
            Comparator.comparing((Match m) -> m.consent().id()).thenComparingInt(Match::index);

    private final ConsentPolicy policy;

    public ConsentDecisionEngine(ConsentPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public ConsentPolicy policy() {
        return policy;
    }

    /** Decides with local consents only (the national service not consulted, or not needed). */
    public ConsentDecision decide(RequestContext context, List<ConsentRecord> consents, ResourceMetadata resource) {
        return decide(context, consents, resource, null);
    }

    /**
     * Decides.
     *
     * @param national the national service's answer, or null when it was not asked (in a national mode, for
     *                 TREAT/COC, that counts as Indeterminate)
     */
    public ConsentDecision decide(RequestContext context, List<ConsentRecord> consents, ResourceMetadata resource,
                                  NationalConsentAnswer national) {
        Match local = decisiveLocalMatch(context, consents, resource);
        PurposeOfUse purpose = context.purpose();
        if (purpose.isSecondaryUse()) {
            if (local != null && local.provision().type() == ProvisionType.PERMIT) {
                return permit(local, Set.of(Obligation.DE_IDENTIFY));
            }
            return local != null ? deny(local) : new ConsentDecision(Decision.DENY, DecisionRule.DEFAULT_DENY, null, Set.of());
        }
        if (local != null && local.provision().type() == ProvisionType.DENY) {
            return deny(local);
        }
        return switch (policy.nationalMode()) {
            case LOCAL -> local != null ? permit(local, Set.of()) : byDefault(purpose);
            case NATIONAL -> byNationalAnswer(national, null);
            case NATIONAL_OR_LOCAL -> byNationalAnswer(national, local);
        };
    }

    /**
     * True when {@link #decide} would use a national answer for this request: a national mode, a treatment
     * purpose, and no local deny that decides anyway (then the service need not be asked).
     */
    public boolean needsNationalAnswer(RequestContext context, List<ConsentRecord> consents, ResourceMetadata resource) {
        if (!policy.asksNationally(context.purpose())) {
            return false;
        }
        Match local = decisiveLocalMatch(context, consents, resource);
        return local == null || local.provision().type() != ProvisionType.DENY;
    }

    private ConsentDecision byNationalAnswer(NationalConsentAnswer national, Match localPermit) {
        NationalConsentAnswer answer = national == null ? NationalConsentAnswer.INDETERMINATE : national;
        return switch (answer) {
            case PERMIT -> new ConsentDecision(Decision.PERMIT, DecisionRule.NATIONAL_PERMIT, null, Set.of());
            case DENY -> new ConsentDecision(Decision.DENY, DecisionRule.NATIONAL_DENY, null, Set.of());
            case INDETERMINATE -> new ConsentDecision(Decision.DENY, DecisionRule.NATIONAL_INDETERMINATE, null, Set.of());
            case NOT_APPLICABLE -> localPermit != null ? permit(localPermit, Set.of())
                    : new ConsentDecision(Decision.DENY, DecisionRule.NATIONAL_NOT_APPLICABLE, null, Set.of());
        };
    }

    private ConsentDecision byDefault(PurposeOfUse purpose) {
        return policy.defaultFor(purpose) == Decision.PERMIT
                ? new ConsentDecision(Decision.PERMIT, DecisionRule.DEFAULT_PERMIT, null, Set.of())
                : new ConsentDecision(Decision.DENY, DecisionRule.DEFAULT_DENY, null, Set.of());
    }

    private static ConsentDecision permit(Match m, Set<Obligation> obligations) {
        DecisionRule rule = m.provision().isStudySpecific() ? DecisionRule.STUDY_PERMIT : DecisionRule.PERMIT;
        return new ConsentDecision(Decision.PERMIT, rule, m.consent().id(), obligations);
    }

    private static ConsentDecision deny(Match m) {
        DecisionRule rule = m.provision().isStudySpecific() ? DecisionRule.STUDY_DENY : DecisionRule.DENY;
        return new ConsentDecision(Decision.DENY, rule, m.consent().id(), Set.of());
    }

    /** The provision that decides locally by specificity, then deny over permit; null when none applies. */
    private static Match decisiveLocalMatch(RequestContext context, List<ConsentRecord> consents, ResourceMetadata resource) {
        Match best = null;
        for (ConsentRecord consent : consents) {
            if (consent.status() != ConsentStatus.ACTIVE || !consent.patient().equals(resource.patient())) {
                continue;
            }
            List<Provision> provisions = consent.provisions();
            for (int i = 0; i < provisions.size(); i++) {
                Provision p = provisions.get(i);
                if (p.appliesTo(context, resource)) {
                    Match candidate = new Match(consent, i, p);
                    if (best == null || outranks(candidate, best)) {
                        best = candidate;
                    }
                }
            }
        }
        return best;
    }

    private static boolean outranks(Match a, Match b) {
        int byRank = Integer.compare(rank(a.provision()), rank(b.provision()));
        return byRank != 0 ? byRank > 0 : DETERMINISTIC.compare(a, b) < 0;
    }

    /** Study deny 3 > study permit 2 > general deny 1 > general permit 0. */
    private static int rank(Provision p) {
        return (p.isStudySpecific() ? 2 : 0) + (p.type() == ProvisionType.DENY ? 1 : 0);
    }

    private record Match(ConsentRecord consent, int index, Provision provision) {
    }
}
