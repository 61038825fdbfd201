package nl.beeldbrug.registry.audit;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.PreparedStatement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RegistryDatabaseExtension.class)
class AuditStoreTest {

    @Test
    void recordsAreKeptInOrderAndFoundPerPatient(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<AuditMessage>q</AuditMessage>"));
        store.append(new AuditRecord("110107", "ITI-41", "SeriousFailure", List.of("999990020"), "<AuditMessage>p</AuditMessage>"));
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019", "999990020"), "<AuditMessage>r</AuditMessage>"));

        assertThat(store.count()).isEqualTo(3);
        assertThat(store.forPatient("999990019")).extracting(AuditRecord::message)
                .containsExactly("<AuditMessage>q</AuditMessage>", "<AuditMessage>r</AuditMessage>");
        assertThat(store.forPatient("999990020")).extracting(AuditRecord::outcome)
                .containsExactly("SeriousFailure", "Success");
        assertThat(store.latest(1)).extracting(AuditRecord::message).containsExactly("<AuditMessage>r</AuditMessage>");
        assertThat(store.verify()).isTrue();
    }

    @Test
    void searchPerPatientAndTimeNewestFirstInPages(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        for (int i = 0; i < 5; i++) {
            store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<m" + i + "/>"));
        }
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990020"), "<other/>"));
        Database.inTransaction(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "update audit_event set recorded_at = timestamptz '2026-01-01T00:00:00Z' + (id - (select min(id) from audit_event)) * interval '1 day'")) {
                return ps.executeUpdate();
            }
        });

        AuditStore.SearchPage first = store.search("999990019", null, null, 0, 2);
        assertThat(first.total()).isEqualTo(5);
        assertThat(first.events()).extracting(e -> e.record().message()).containsExactly("<m4/>", "<m3/>");
        assertThat(store.search("999990019", null, null, 4, 2).events()).extracting(e -> e.record().message())
                .containsExactly("<m0/>");
        AuditStore.SearchPage window = store.search("999990019", java.time.Instant.parse("2026-01-02T00:00:00Z"),
                java.time.Instant.parse("2026-01-04T00:00:00Z"), 0, 10);
        assertThat(window.total()).isEqualTo(3);
        assertThat(window.events()).extracting(e -> e.record().message()).containsExactly("<m3/>", "<m2/>", "<m1/>");
        assertThat(store.search(null, null, null, 0, 10).total()).isEqualTo(6);
        assertThat(store.search("999990021", null, null, 0, 10).events()).isEmpty();
        assertThat(store.search("999990019", null, null, 0, 0).events()).isEmpty();
    }

    @Test
    void aChangedRecordBreaksTheChain(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<a/>"));
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<b/>"));
        assertThat(store.verify()).isTrue();

        Database.inTransaction(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement("update audit_event set outcome = 'Success' where message = '<a/>'")) {
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("update audit_event set patient_ids = '{999990020}' where message = '<a/>'")) {
                return ps.executeUpdate();
            }
        });
        assertThat(store.verify()).isFalse();
    }

    @Test
    void aRemovedRecordBreaksTheChain(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        for (String m : List.of("<a/>", "<b/>", "<c/>")) {
            store.append(new AuditRecord("110112", "ITI-18", "Success", List.of(), m));
        }
        Database.inTransaction(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from audit_event where message = '<b/>'")) {
                return ps.executeUpdate();
            }
        });
        assertThat(store.verify()).isFalse();
    }

    @Test
    void verifyChainNamesTheFirstBrokenRecord(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        for (String m : List.of("<a/>", "<b/>", "<c/>", "<d/>")) {
            store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), m));
        }
        List<StoredAuditEvent> all = store.after(0, 10);
        assertThat(store.verifyChain()).isEqualTo(new ChainVerification(true, 4, null, null));

        long third = all.get(2).id();
        Database.inTransaction(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement("update audit_event set message = '<x/>' where id = ?")) {
                ps.setLong(1, third);
                return ps.executeUpdate();
            }
        });
        ChainVerification broken = store.verifyChain();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBrokenId()).isEqualTo(third);
        assertThat(broken.recordsChecked()).isEqualTo(3);
        assertThat(broken.problem()).isEqualTo("content changed");

        long second = all.get(1).id();
        Database.inTransaction(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement("delete from audit_event where id = ?")) {
                ps.setLong(1, second);
                return ps.executeUpdate();
            }
        });
        ChainVerification gap = store.verifyChain();
        assertThat(gap.firstBrokenId()).isEqualTo(third);
        assertThat(gap.problem()).isEqualTo("link to the previous record broken");
    }

    @Test
    void afterReadsInIdOrderFromAPosition(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        assertThat(store.latestId()).isZero();
        for (int i = 0; i < 5; i++) {
            store.append(new AuditRecord("110112", "ITI-18", "Success", List.of(), "<m" + i + "/>"));
        }
        List<StoredAuditEvent> firstTwo = store.after(0, 2);
        assertThat(firstTwo).extracting(e -> e.record().message()).containsExactly("<m0/>", "<m1/>");
        assertThat(store.after(firstTwo.get(1).id(), 10)).extracting(e -> e.record().message())
                .containsExactly("<m2/>", "<m3/>", "<m4/>");
        assertThat(store.latestId()).isEqualTo(store.after(0, 10).get(4).id());
        assertThat(firstTwo.get(0).recordedAt()).isNotNull();
    }

    @Test
    void theForwardCursorStartsAtZeroAndOnlyMovesForward(TestDatabase db) {
        AuditForwardCursor cursor = new AuditForwardCursor(db.dataSource());
        assertThat(cursor.position("atna")).isZero();
        cursor.advance("atna", 7);
        cursor.advance("atna", 5);
        assertThat(cursor.position("atna")).isEqualTo(7);
        assertThat(cursor.position("other")).isZero();
    }
}
