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

    @Test
    void rowsWrittenBeforeV8KeepVerifyingNextToNewRowsThatCoverTheRequester(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        // two rows as the store wrote them before V8: version 1 hash, no requester columns
        Database.inTransaction(db.dataSource(), c -> {
            String previous = "0".repeat(64);
            for (String m : List.of("<old1/>", "<old2/>")) {
                AuditRecord old = new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), m);
                String hash = AuditStore.hash(previous, old, 1, null);
                try (PreparedStatement ps = c.prepareStatement("insert into audit_event (event_id, event_type, outcome,"
                        + " patient_ids, message, prev_hash, hash) values ('110112', 'ITI-18', 'Success', '{999990019}', ?, ?, ?)")) {
                    ps.setString(1, m);
                    ps.setString(2, previous);
                    ps.setString(3, hash);
                    ps.executeUpdate();
                }
                previous = hash;
            }
            return null;
        });
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<new/>", "12345678", "dr-a", "TREAT"));
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<unstamped/>"));
        assertThat(store.verifyChain()).isEqualTo(new ChainVerification(true, 4, null, null));
        assertThat(store.latest(2)).extracting(AuditRecord::organisation).containsExactly(null, "12345678");

        for (String tampering : List.of("update audit_event set organisation = '87654321' where message = '<new/>'",
                "update audit_event set organisation = null, user_id = null, purpose = null where message = '<new/>'",
                "update audit_event set recorded_at = recorded_at - interval '1 hour' where message = '<new/>'",
                "update audit_event set purpose = 'TREAT' where message = '<old2/>'",
                "update audit_event set chain_version = 1 where message = '<new/>'")) {
            AuditStore fresh = store;
            Database.inTransaction(db.dataSource(), c -> {
                try (PreparedStatement save = c.prepareStatement("create temporary table saved on commit drop as select * from audit_event");
                     PreparedStatement change = c.prepareStatement(tampering)) {
                    save.execute();
                    change.executeUpdate();
                }
                ChainVerification broken = verifyInside(fresh, c);
                assertThat(broken.intact()).as(tampering).isFalse();
                assertThat(broken.problem()).as(tampering).isEqualTo("content changed");
                c.rollback();
                return null;
            });
        }
        assertThat(store.verify()).isTrue();
    }

    /** The chain as one uncommitted transaction sees it (AuditStore opens its own; copy the check here). */
    private static ChainVerification verifyInside(AuditStore store, java.sql.Connection c) throws java.sql.SQLException {
        String previous = "0".repeat(64);
        long checked = 0;
        try (PreparedStatement ps = c.prepareStatement("select event_id, event_type, outcome, patient_ids, message, organisation,"
                + " user_id, purpose, id, recorded_at, prev_hash, hash, chain_version from audit_event order by id");
             java.sql.ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                checked++;
                AuditRecord record = new AuditRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        List.of((String[]) rs.getArray(4).getArray()), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8));
                String hash = AuditStore.hash(previous, record, rs.getInt(13),
                        rs.getObject(10, java.time.OffsetDateTime.class).toInstant());
                if (!hash.equals(rs.getString(12))) {
                    return new ChainVerification(false, checked, rs.getLong(9), "content changed");
                }
                previous = rs.getString(12);
            }
        }
        return new ChainVerification(true, checked, null, null);
    }

    @Test
    void searchPerOrganisation(TestDatabase db) {
        AuditStore store = new AuditStore(db.dataSource());
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"), "<a/>", "12345678", "u1", "TREAT"));
        store.append(new AuditRecord("110112", "ITI-18", "MinorFailure", List.of("999990019"), "<b/>", "87654321", "u2", "COC"));
        store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990020"), "<c/>", "12345678", "u1", "TREAT"));

        AuditStore.SearchPage page = store.search(null, "12345678", null, null, 0, 10);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.events()).extracting(e -> e.record().message()).containsExactly("<c/>", "<a/>");
        assertThat(page.events().get(0).record().userId()).isEqualTo("u1");
        assertThat(page.events().get(0).record().purpose()).isEqualTo("TREAT");
        assertThat(store.search("999990019", "12345678", null, null, 0, 10).total()).isEqualTo(1);
        assertThat(store.search(null, "11111111", null, null, 0, 10).total()).isZero();
    }
}
