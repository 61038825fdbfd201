package nl.beeldbrug.registry.ai;

import java.time.Instant;
import java.util.UUID;
import nl.beeldbrug.registry.consent.Ura;

/** A cohort: one AI platform's request, with the criteria it was selected by. */
public record Cohort(UUID id, Ura platform, CohortCriteria criteria, Instant created) {
}
