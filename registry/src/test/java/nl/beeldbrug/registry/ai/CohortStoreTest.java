package nl.beeldbrug.registry.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RegistryDatabaseExtension.class)
class CohortStoreTest {

    private static final Ura PLATFORM = Ura.of("90000001");
    private static final Ura OTHER_PLATFORM = Ura.of("90000002");
    private static final Ura HOSPITAL = Ura.of("12345678");

    private final CohortStore store;

    CohortStoreTest(DataSource dataSource) {
        this.store = new CohortStore(dataSource);
    }

    @Test
    void storesCriteriaMembersAndExclusionsInOrder() {
        CohortCriteria criteria = new CohortCriteria(Set.of("MR", "CT"), "lower-limb", LocalDate.of(2020, 1, 1),
                LocalDate.of(2025, 12, 31), Set.of(HOSPITAL), 10);
        Cohort cohort = store.create(PLATFORM, criteria, Instant.parse("2026-11-30T01:00:00.123456789Z"));
        UUID id = cohort.id();
        store.record(id, List.of(new CohortMember(id, "1.2.3", "2.25.3", "999911120", "PAAA", HOSPITAL),
                        new CohortMember(id, "1.2.1", "2.25.1", "999911132", "PBBB", null)),
                List.of(new CohortExclusion(id, "1.2.2", "2.25.2", HOSPITAL, new Exclusion("INCOMPLETE", "2 instances missing"))));

        assertThat(store.cohort(id)).contains(cohort);
        assertThat(store.members(id)).extracting(CohortMember::pseudoStudyUid).containsExactly("2.25.3", "2.25.1");
        assertThat(store.members(id).get(0)).isEqualTo(new CohortMember(id, "1.2.3", "2.25.3", "999911120", "PAAA", HOSPITAL));
        assertThat(store.exclusions(id)).containsExactly(
                new CohortExclusion(id, "1.2.2", "2.25.2", HOSPITAL, new Exclusion("INCOMPLETE", "2 instances missing")));
        assertThat(store.cohortsOf(PLATFORM)).containsExactly(id);
        assertThat(store.cohort(UUID.randomUUID())).isEmpty();
    }

    @Test
    void memberIsFoundOnlyForItsPlatformAndOnlyWhenIncluded() {
        Cohort cohort = store.create(PLATFORM, new CohortCriteria(Set.of(), null, null, null, Set.of(), 5), Instant.now());
        UUID id = cohort.id();
        store.record(id, List.of(new CohortMember(id, "1.2.3", "2.25.3", "999911120", "PAAA", HOSPITAL)),
                List.of(new CohortExclusion(id, "1.2.2", "2.25.2", null, new Exclusion("REJECTED", "deprecated"))));

        assertThat(store.member(PLATFORM, "2.25.3")).map(CohortMember::studyUid).contains("1.2.3");
        assertThat(store.member(PLATFORM, "2.25.2")).isEmpty();
        assertThat(store.member(OTHER_PLATFORM, "2.25.3")).isEmpty();
    }
}
