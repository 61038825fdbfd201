package nl.beeldbrug.gateway.priors.prefetch;

import nl.beeldbrug.registry.priors.PriorCategory;
import nl.beeldbrug.registry.priors.PriorRanker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static nl.beeldbrug.gateway.priors.prefetch.PrefetchSelection.Outcome.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The prefetch rule: relevant only, age cap, skip what the PACS has, count cap. */
class PrefetchSelectionTest {

    private static final Instant PLANNED = Instant.parse("2026-12-02T09:00:00Z");

    private static PriorRanker.Ranked<String> prior(String uid, PriorCategory category, int daysAgo) {
        return new PriorRanker.Ranked<>(uid, null, PLANNED.minus(Duration.ofDays(daysAgo)), category, "test");
    }

    @Test
    void takesRelevantRecentAbsentPriorsUpToTheCap() {
        List<PriorRanker.Ranked<String>> ranked = List.of(
                prior("dup", PriorCategory.DUPLICATE, 60),
                prior("present", PriorCategory.SAME_REGION, 100),
                prior("same", PriorCategory.SAME_REGION, 365),
                prior("old", PriorCategory.SAME_REGION, 6 * 365),
                prior("related", PriorCategory.RELATED_REGION, 400),
                prior("extra", PriorCategory.RELATED_REGION, 500),
                prior("knee", PriorCategory.OTHER, 10));
        PrefetchSelection rule = PrefetchSelection.defaults();
        assertThat(rule.select(ranked, PLANNED, Set.of("present")::contains)).containsExactly("dup", "same", "related");
        assertThat(rule.decide(ranked, PLANNED, Set.of("present")::contains)).extracting(PrefetchSelection.Decision::outcome)
                .containsExactly(QUEUE, PRESENT, QUEUE, TOO_OLD, QUEUE, OVER_CAP, NOT_RELEVANT);
    }

    @Test
    void capsAreConfigurable() {
        List<PriorRanker.Ranked<String>> ranked = List.of(prior("a", PriorCategory.DUPLICATE, 10),
                prior("b", PriorCategory.SAME_REGION, 40));
        assertThat(new PrefetchSelection(1, Duration.ofDays(365)).select(ranked, PLANNED, s -> false)).containsExactly("a");
        assertThat(new PrefetchSelection(3, Duration.ofDays(20)).select(ranked, PLANNED, s -> false)).containsExactly("a");
        assertThat(new PrefetchSelection(0, Duration.ofDays(365)).select(ranked, PLANNED, s -> false)).isEmpty();
    }
}
