package nl.beeldbrug.gateway.ai;

import java.time.Clock;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.ai.CohortCriteria;
import nl.beeldbrug.registry.ai.CohortSelector;
import nl.beeldbrug.registry.ai.StudyEvidence;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;

/**
 * A cohort for the calling platform: the consent through the {@link ReleaseGuard} (the platform as requester, purpose
 * AI, every decision in the request's {@link ReleaseLog} for its audit record), then the selector and the gate over the
 * connected archives.
 */
public final class AiCohortService {

    private final CohortSelector selector;
    private final ReleaseGuard guard;
    private final StudyEvidence evidence;
    private final Clock clock;

    public AiCohortService(CohortSelector selector, ReleaseGuard guard, StudyEvidence evidence, Clock clock) {
        this.selector = selector;
        this.guard = guard;
        this.evidence = evidence;
        this.clock = clock;
    }

    /** The caller must have passed {@link AiAccess#require}: {@code context} is the platform's, with purpose AI. */
    public CohortSelector.Selection create(AiPlatform platform, RequestContext context, CohortCriteria criteria, ReleaseLog log) {
        return selector.select(platform.ura(), platform.pseudonyms(), criteria,
                candidates -> guard.permitted(context, candidates,
                        c -> guard.metadata(c.bsn(), c.studyUid(), DataClass.IMAGING_STUDY, c.holder() == null ? null : c.holder().value()),
                        log),
                evidence, clock.instant());
    }
}
