package nl.beeldbrug.registry.ai;

import java.util.UUID;
import nl.beeldbrug.registry.consent.Ura;

/**
 * An INCLUDED study of a cohort: the original study UID and patient (for the release and the consent re-check, never
 * shown to the platform), and the platform's pseudonyms of them.
 *
 * @param holder the data holder (URA of the manifest's author institution)
 */
public record CohortMember(UUID cohortId, String studyUid, String pseudoStudyUid, String bsn, String patientPseudonym,
                           Ura holder) {
}
