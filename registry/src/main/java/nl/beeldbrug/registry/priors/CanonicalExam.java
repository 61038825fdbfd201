package nl.beeldbrug.registry.priors;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an exam is, whatever the source called it: modality, body regions (codes of {@link BodyRegions}),
 * laterality, contrast; and which codes and words said so ({@code evidence}, for the explanation of a decision).
 *
 * @param modality null when nothing names it
 */
public record CanonicalExam(Modality modality, Set<String> regions, Laterality laterality, Contrast contrast,
                            List<String> evidence) {

    public CanonicalExam {
        regions = java.util.Collections.unmodifiableSet(new TreeSet<>(regions));
        evidence = List.copyOf(evidence);
    }

    /** Whether modality and at least one region are known (only then can it be compared). */
    public boolean comparable() {
        return modality != null && !regions.isEmpty();
    }

    /** Short text, e.g. {@code MR knee LEFT}. */
    public String summary() {
        return (modality == null ? "?" : modality.name()) + " " + (regions.isEmpty() ? "?" : String.join("+", regions))
                + (laterality == Laterality.UNKNOWN ? "" : " " + laterality)
                + (contrast == Contrast.UNKNOWN ? "" : " contrast " + contrast);
    }
}
