package nl.beeldbrug.registry.ai;

import java.time.LocalDate;
import java.util.Set;
import nl.beeldbrug.registry.consent.Ura;

/**
 * What an AI platform asks for. Empty sets and nulls do not narrow.
 *
 * @param modalities DICOM modality codes (any of them)
 * @param bodyRegion a body region of {@link nl.beeldbrug.registry.priors.BodyRegions} (a study of a region within it
 *                   matches: the knee within the lower limb), or null
 * @param from       studies started on or after this day (inclusive), or null
 * @param to         studies started on or before this day (inclusive), or null
 * @param sources    the data holders (URA of the manifest's author institution), any of them
 * @param maxCount   the most INCLUDED studies (≥ 1)
 */
public record CohortCriteria(Set<String> modalities, String bodyRegion, LocalDate from, LocalDate to,
                             Set<Ura> sources, int maxCount) {

    public CohortCriteria {
        modalities = modalities == null ? Set.of() : Set.copyOf(modalities);
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        if (maxCount < 1) {
            throw new IllegalArgumentException("a cohort has a maximum count of at least 1");
        }
        if (from != null && to != null && to.isBefore(from)) {
            throw new IllegalArgumentException("the date range ends before it starts");
        }
    }
}
