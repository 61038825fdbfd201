package nl.beeldbrug.gateway.priors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The prior check's window of a patient's studies is taken after consent, not before. */
class PriorCheckServiceTest {

    /** Studies 0..n-1, newest first, as the index pages them. */
    private static List<Integer> page(int n, int offset, int count, List<int[]> calls) {
        calls.add(new int[]{offset, count});
        return IntStream.range(offset, Math.min(n, offset + count)).boxed().toList();
    }

    @Test
    void deniedNewerStudiesDoNotCrowdOutPermittedOlderOnes() {
        Set<Integer> denied = Set.of(0, 1, 2, 3, 4);
        List<int[]> calls = new ArrayList<>();
        List<Integer> visible = PriorCheckService.newestPermitted(3, (o, c) -> page(10, o, c, calls),
                items -> items.stream().filter(i -> !denied.contains(i)).toList());
        assertThat(visible).containsExactly(5, 6, 7);
        assertThat(calls).hasSize(3); // 0-2 all denied, 3-5 one permitted, 6-8 fills the window
    }

    @Test
    void stopsAtTheMaximumAndWhenThePagesRunOut() {
        List<int[]> calls = new ArrayList<>();
        assertThat(PriorCheckService.newestPermitted(4, (o, c) -> page(10, o, c, calls), items -> items))
                .containsExactly(0, 1, 2, 3);
        assertThat(calls).hasSize(1);
        calls.clear();
        assertThat(PriorCheckService.newestPermitted(4, (o, c) -> page(6, o, c, calls),
                items -> items.stream().filter(i -> i % 2 == 0).toList())).containsExactly(0, 2, 4);
        assertThat(calls).hasSize(2); // a short page ends the search
        calls.clear();
        assertThat(PriorCheckService.newestPermitted(2, (o, c) -> page(4, o, c, calls), items -> List.of())).isEmpty();
        assertThat(calls).hasSize(3); // two full pages and the empty one after them
    }
}
