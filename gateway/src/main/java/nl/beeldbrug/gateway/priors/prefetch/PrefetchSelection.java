package nl.beeldbrug.gateway.priors.prefetch;

import nl.beeldbrug.registry.priors.PriorCategory;
import nl.beeldbrug.registry.priors.PriorRanker;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The prefetch rule (issue 5 point 4): of a patient's ranked visible priors, take the relevant ones (duplicate,
 * same region, related region; in rank order), no older than {@code maxAge} before the planned date, skip those the
 * target PACS already has, and stop at {@code maxCount}. Studies the PACS has do not count against the cap.
 */
public final class PrefetchSelection {

    private final int maxCount;
    private final Duration maxAge;

    public PrefetchSelection(int maxCount, Duration maxAge) {
        if (maxCount < 0 || maxAge.isNegative()) {
            throw new IllegalArgumentException("prefetch caps must not be negative");
        }
        this.maxCount = maxCount;
        this.maxAge = maxAge;
    }

    /** The defaults: at most 3 priors, at most 5 years old. */
    public static PrefetchSelection defaults() {
        return new PrefetchSelection(3, Duration.ofDays(5 * 365 + 1));
    }

    /** What one ranked prior became, and why. */
    public enum Outcome { QUEUE, PRESENT, NOT_RELEVANT, TOO_OLD, OVER_CAP }

    public record Decision<T>(PriorRanker.Ranked<T> prior, Outcome outcome) {
    }

    /** Every ranked prior with its outcome, in rank order. */
    public <T> List<Decision<T>> decide(List<PriorRanker.Ranked<T>> ranked, Instant planned, Predicate<T> present) {
        List<Decision<T>> decisions = new ArrayList<>(ranked.size());
        int queued = 0;
        for (PriorRanker.Ranked<T> prior : ranked) {
            Outcome outcome;
            if (prior.category() == PriorCategory.OTHER) {
                outcome = Outcome.NOT_RELEVANT;
            } else if (prior.performed() == null || prior.performed().isBefore(planned.minus(maxAge))) {
                outcome = Outcome.TOO_OLD;
            } else if (queued >= maxCount) {
                outcome = Outcome.OVER_CAP;
            } else if (present.test(prior.study())) {
                outcome = Outcome.PRESENT;
            } else {
                outcome = Outcome.QUEUE;
                queued++;
            }
            decisions.add(new Decision<>(prior, outcome));
        }
        return decisions;
    }

    /** Only the studies to import. */
    public <T> List<T> select(List<PriorRanker.Ranked<T>> ranked, Instant planned, Predicate<T> present) {
        return decide(ranked, planned, present).stream().filter(d -> d.outcome() == Outcome.QUEUE)
                .map(d -> d.prior().study()).toList();
    }
}
