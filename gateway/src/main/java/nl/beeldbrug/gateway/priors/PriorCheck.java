package nl.beeldbrug.gateway.priors;

import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.priors.CanonicalExam;
import nl.beeldbrug.registry.priors.PriorCategory;
import nl.beeldbrug.registry.priors.PriorRanker;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The answer of a prior check: the planned exam as understood, the patient's studies the requester may see,
 * ranked, and whether one of them is a likely duplicate.
 *
 * @param visibleReports uniqueIds of the report documents the requester may see (a report is decided on its own)
 */
public record PriorCheck(CanonicalExam planned, Instant plannedDate, List<PriorRanker.Ranked<ImagingStudySummary>> priors,
                         Set<String> visibleReports) {

    public PriorCheck {
        priors = List.copyOf(priors);
        visibleReports = Set.copyOf(visibleReports);
    }

    public boolean duplicate() {
        return !priors.isEmpty() && priors.get(0).category() == PriorCategory.DUPLICATE;
    }

    public List<PriorRanker.Ranked<ImagingStudySummary>> duplicates() {
        return priors.stream().filter(p -> p.category() == PriorCategory.DUPLICATE).toList();
    }

    /** Relevant priors that are not duplicates (same region, related region). */
    public List<PriorRanker.Ranked<ImagingStudySummary>> relevant() {
        return priors.stream().filter(p -> p.category() == PriorCategory.SAME_REGION || p.category() == PriorCategory.RELATED_REGION)
                .toList();
    }
}
