package nl.beeldbrug.registry.bridge.imports;

import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Orders taken once per hospital and placer order number; ended prefetch jobs reported once. */
@ExtendWith(RegistryDatabaseExtension.class)
class PrefetchOrderStoreTest {

    private static final Instant PLANNED = Instant.parse("2026-12-02T09:00:00Z");
    private final TestDatabase db;
    private final PrefetchOrderStore orders;
    private final ImportJobStore jobs;

    PrefetchOrderStoreTest(TestDatabase db) {
        this.db = db;
        this.orders = new PrefetchOrderStore(db.dataSource());
        this.jobs = new ImportJobStore(db.dataSource());
    }

    @BeforeEach
    void clean() {
        db.clean();
    }

    @Test
    void anOrderIsTakenOncePerHospitalAndAgainAfterRelease() {
        assertThat(orders.take("zkh-a", "ORD-1", PLANNED)).isTrue();
        assertThat(orders.take("zkh-a", "ORD-1", PLANNED)).isFalse();
        assertThat(orders.take("zkh-b", "ORD-1", PLANNED)).as("another hospital's number").isTrue();
        orders.release("zkh-a", "ORD-1");
        assertThat(orders.take("zkh-a", "ORD-1", PLANNED)).isTrue();
    }

    @Test
    void ofManyConcurrentTakersOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Boolean>> takers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                takers.add(() -> orders.take("zkh-a", "ORD-RACE", PLANNED));
            }
            int won = 0;
            for (Future<Boolean> f : pool.invokeAll(takers)) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void endedJobsAreReportedOnceWithThePlannedTime() {
        orders.take("zkh-a", "ORD-2", PLANNED);
        ImportJob a = jobs.request("1.2.3.1", "zkh-a", "prefetch:00009999");
        ImportJob b = jobs.request("1.2.3.2", "zkh-a", "prefetch:00009999");
        orders.jobs("zkh-a", "ORD-2", List.of(a.id(), b.id()));
        orders.jobs("zkh-a", "ORD-2", List.of(a.id())); // linking again changes nothing
        assertThat(orders.jobsOf("zkh-a", "ORD-2")).containsExactly(a.id(), b.id());
        assertThat(orders.ended()).isEmpty();

        ImportJob claimed = jobs.claim("w1", Duration.ofMinutes(1)).orElseThrow();
        assertThat(jobs.done(claimed.id(), "w1")).isTrue();
        List<PrefetchOrderStore.Ended> ended = orders.ended();
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).importJobId()).isEqualTo(claimed.id());
        assertThat(ended.get(0).state()).isEqualTo(ImportJob.State.DONE);
        assertThat(ended.get(0).finishedAt()).isNotNull();
        assertThat(ended.get(0).plannedAt()).isEqualTo(PLANNED);
        assertThat(orders.ended()).as("reported once").isEmpty();

        ImportJob other = jobs.claim("w1", Duration.ofMinutes(1)).orElseThrow();
        assertThat(jobs.fail(other.id(), "w1", "unreachable")).isTrue();
        assertThat(orders.ended()).singleElement().satisfies(e -> assertThat(e.state()).isEqualTo(ImportJob.State.FAILED));
    }
}
