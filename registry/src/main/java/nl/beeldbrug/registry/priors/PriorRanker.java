package nl.beeldbrug.registry.priors;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Ranks a patient's studies for a planned exam (issue 5): likely duplicates first, then the same region, then
 * related regions, then the rest; newest first within a category. Every decision is explained: which rule, and
 * which codes and words of both exams made it.
 */
public final class PriorRanker {

    private final BodyRegions regions;
    private final DuplicateWindows windows;

    public PriorRanker(BodyRegions regions, DuplicateWindows windows) {
        this.regions = regions;
        this.windows = windows;
    }

    /** A study with its category and the reason. */
    public record Ranked<T>(T study, CanonicalExam exam, Instant performed, PriorCategory category, String reason) {
    }

    /** The planned exam and when it is planned for. */
    public record Planned(CanonicalExam exam, Instant date) {
    }

    public <T> List<Ranked<T>> rank(Planned planned, List<T> studies, Function<T, CanonicalExam> exam,
                                    Function<T, Instant> performed) {
        List<Ranked<T>> ranked = new ArrayList<>(studies.size());
        for (T study : studies) {
            CanonicalExam prior = exam.apply(study);
            Instant when = performed.apply(study);
            Verdict verdict = judge(planned, prior, when);
            ranked.add(new Ranked<>(study, prior, when, verdict.category, verdict.reason));
        }
        ranked.sort(Comparator.<Ranked<T>, PriorCategory>comparing(Ranked::category)
                .thenComparing(Ranked::performed, Comparator.nullsLast(Comparator.reverseOrder())));
        return ranked;
    }

    /** The category of one prior for a planned exam, with the reason. */
    public Verdict judge(Planned planned, CanonicalExam prior, Instant performed) {
        CanonicalExam plan = planned.exam();
        if (!plan.comparable() || prior.regions().isEmpty()) {
            return new Verdict(PriorCategory.OTHER, "not comparable: planned " + plan.summary() + ", prior " + prior.summary());
        }
        boolean covers = plan.regions().stream().allMatch(p -> prior.regions().stream().anyMatch(r -> regions.covers(r, p)));
        boolean overlaps = plan.regions().stream().anyMatch(p -> prior.regions().stream().anyMatch(r -> regions.covers(r, p)));
        boolean within = plan.regions().stream().anyMatch(p -> prior.regions().stream().anyMatch(r -> regions.covers(p, r)));
        boolean related = plan.regions().stream().anyMatch(p -> prior.regions().stream().anyMatch(r -> regions.related(p, r)));
        boolean paired = plan.regions().stream().anyMatch(regions::paired);
        boolean otherSide = paired && plan.laterality().opposite(prior.laterality());
        boolean sameModality = plan.modality() == prior.modality();
        Duration window = windows.of(plan.modality());
        long ageDays = performed == null ? Long.MAX_VALUE : Duration.between(performed, planned.date()).toDays();
        boolean inWindow = performed != null && !performed.isAfter(planned.date().plus(Duration.ofDays(1)))
                && Duration.between(performed, planned.date()).compareTo(window) <= 0;
        String what = "planned " + plan.summary() + " vs prior " + prior.summary() + " (" + describeAge(ageDays) + ")";
        if (covers && !otherSide && sameModality && inWindow) {
            return new Verdict(PriorCategory.DUPLICATE, "same exam within the " + plan.modality() + " window of "
                    + window.toDays() + " days: " + what);
        }
        if ((covers || overlaps) && !otherSide) {
            String rule = sameModality ? "same exam outside the " + window.toDays() + "-day window" : "same region, other modality";
            return new Verdict(PriorCategory.SAME_REGION, rule + ": " + what);
        }
        if ((covers || overlaps) && otherSide) {
            return new Verdict(PriorCategory.SAME_REGION, "same region, other side: " + what);
        }
        if (within || related) {
            return new Verdict(PriorCategory.RELATED_REGION, (within ? "region within the planned region: " : "bordering region: ") + what);
        }
        return new Verdict(PriorCategory.OTHER, "unrelated region: " + what);
    }

    private static String describeAge(long days) {
        return days == Long.MAX_VALUE ? "date unknown" : days + " days before";
    }

    /** A category with its explanation. */
    public record Verdict(PriorCategory category, String reason) {
    }
}
