package nl.beeldbrug.registry.ai;

import java.util.UUID;
import nl.beeldbrug.registry.consent.Ura;

/**
 * A study of a consenting patient that matched the criteria but failed the {@link ValidationGate}. The platform sees
 * only its pseudonymous study UID and the reason.
 */
public record CohortExclusion(UUID cohortId, String studyUid, String pseudoStudyUid, Ura holder, Exclusion reason) {
}
