package nl.beeldbrug.registry.ai.delivery;

import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RegistryDatabaseExtension.class)
class ExportStoreTest {

    private static final Ura PLATFORM = Ura.of("90000001");
    private static final Ura OTHER = Ura.of("90000002");

    private final ExportStore store;
    private final ReleaseRecords records;

    ExportStoreTest(DataSource dataSource) {
        this.store = new ExportStore(dataSource);
        this.records = new ReleaseRecords(dataSource);
    }

    private ExportStore.Export export() {
        return store.create(UUID.randomUUID(), PLATFORM, List.of(
                new ExportStore.NewStudy("1.2.1", "2.25.1", "999911120", "00001234"),
                new ExportStore.NewStudy("1.2.2", "2.25.2", "999911132", null),
                new ExportStore.NewStudy("1.2.3", "2.25.3", "999911120", "00001234")));
    }

    @Test
    void aClaimedExportIsTakenOverOnlyAfterItsLeaseAndKeepsItsProgress() {
        ExportStore.Export export = export();
        assertThat(export.state()).isEqualTo("queued");
        assertThat(store.claim("w1", Duration.ofMinutes(1))).map(ExportStore.Export::id).contains(export.id());
        assertThat(store.written(export.id(), "w1", 0, "2.25.1.zip", 10, "a".repeat(64), "[]")).isTrue();
        assertThat(store.claim("w2", Duration.ofMinutes(1))).as("lease still held").isEmpty();
        // w1 dies: its lease is let run out (here: ended) and w2 resumes; w1's writes no longer count
        assertThat(store.release(export.id(), "w1")).isTrue();
        assertThat(store.claim("w2", Duration.ofMinutes(1))).map(ExportStore.Export::id).contains(export.id());
        assertThat(store.written(export.id(), "w1", 1, "2.25.2.zip", 10, "b".repeat(64), "[]")).isFalse();
        assertThat(store.studies(export.id())).extracting(ExportStore.Study::state).containsExactly("written", "pending", "pending");
        assertThat(store.written(export.id(), "w2", 1, "2.25.2.zip", 10, "b".repeat(64), "[]")).isTrue();
        assertThat(store.done(export.id(), "w1")).isFalse();
        assertThat(store.done(export.id(), "w2")).isTrue();
        assertThat(store.export(export.id()).orElseThrow().state()).isEqualTo("done");
    }

    @Test
    void withdrawingAPatientMarksAllHisStudiesAndReturnsTheWrittenOnes() {
        ExportStore.Export export = export();
        store.claim("w1", Duration.ofMinutes(1));
        store.written(export.id(), "w1", 0, "2.25.1.zip", 10, "a".repeat(64), "[]");
        List<ExportStore.Study> written = store.withdraw(export.id(), "999911120");
        assertThat(written).extracting(ExportStore.Study::pseudoStudyUid).containsExactly("2.25.1");
        assertThat(written.get(0).fileName()).isEqualTo("2.25.1.zip");
        assertThat(store.studies(export.id())).extracting(ExportStore.Study::state)
                .containsExactly("withdrawn", "pending", "withdrawn");
        // a withdrawn study is never written again
        assertThat(store.written(export.id(), "w1", 2, "2.25.3.zip", 10, "c".repeat(64), "[]")).isFalse();
        assertThat(store.withdraw(export.id(), "999911120")).isEmpty();
    }

    @Test
    void onlyTheFirstReleaseOfAStudyToAPlatformIsRecorded() {
        Instant at = Instant.parse("2026-11-30T01:00:00Z");
        assertThat(records.first(PLATFORM, "2.25.77", "wado-rs", at)).isTrue();
        assertThat(records.first(PLATFORM, "2.25.77", "export", at.plusSeconds(5))).isFalse();
        assertThat(records.first(OTHER, "2.25.77", "export", at)).isTrue();
        List<ReleaseRecords.Released> ofStudy = records.ofStudy("2.25.77", 10);
        assertThat(ofStudy).extracting(ReleaseRecords.Released::platform).containsExactlyInAnyOrder(PLATFORM, OTHER);
        ReleaseRecords.Released first = ofStudy.stream().filter(r -> r.platform().equals(PLATFORM)).findFirst().orElseThrow();
        assertThat(first.channel()).isEqualTo("wado-rs");
        assertThat(records.read(first.id())).contains(first);
        assertThat(records.ofPlatform(OTHER, 10)).extracting(ReleaseRecords.Released::pseudoStudyUid).containsExactly("2.25.77");
    }
}
