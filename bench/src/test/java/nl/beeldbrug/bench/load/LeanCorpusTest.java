package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lean (national-scale) corpus: the rows a load and a replication write, checked by their own checks. */
@ExtendWith(RegistryDatabaseExtension.class)
class LeanCorpusTest {

    private static final Corpus CORPUS = new Corpus(7, 300, 60, ZonedDateTime.parse("2026-11-01T00:00:00Z"));
    private static final Registration REGISTRATION = new Registration("2.16.528.1.1007.3.3.99999999.1.1");

    private final TestDatabase db;

    LeanCorpusTest(TestDatabase db) {
        this.db = db;
    }

    private void load(Layout layout) throws Exception {
        new CorpusCopy(new BulkLoadCommand.Connector(db.dataSource(), db.jdbcUrl(), "postgres", ""), CORPUS, REGISTRATION,
                layout, 2).run();
    }

    @Test
    void leanLayoutWritesOneSetPerPatientAManifestPerStudyAndSomeReports() throws Exception {
        Layout lean = Layout.lean(4);
        load(lean);

        new LoadCheck(db.dataSource(), CORPUS, REGISTRATION, lean).run();
        Layout.Rows rows = lean.rows(CORPUS);
        long reports = db.count("document_content");
        assertThat(reports).isEqualTo(rows.contents()).isBetween(60L, 90L); // one study in four
        assertThat(db.queryForString("select count(*) from registry_object where object_type = 'SubmissionSet'")).isEqualTo("60");
        assertThat(db.queryForString("select count(*) from registry_object where study_role = 'manifest'")).isEqualTo("300");
        assertThat(db.queryForString("select count(*) from registry_object where study_role = 'report'")).isEqualTo(Long.toString(reports));
        assertThat(db.count("association")).isEqualTo(300 + reports);
        // every entry is a member of its patient's one set
        assertThat(db.queryForString("select count(*) from association a join registry_object s on s.entry_uuid = a.source_uuid"
                + " join registry_object e on e.entry_uuid = a.target_uuid where s.object_type = 'SubmissionSet'"
                + " and s.patient_bsn = e.patient_bsn")).isEqualTo(Long.toString(300 + reports));
        assertThatThrownBy(() -> new LoadCheck(db.dataSource(), CORPUS, REGISTRATION, Layout.full()).run())
                .hasMessageContaining("expected");
    }
}
