package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.national.ConsentMix;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.corpus.national.NationalStudy;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.StudySearch;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A small national corpus bulk-loaded (lean layout, consents) and found by the registry's own queries. */
@ExtendWith(RegistryDatabaseExtension.class)
class NationalLoadTest {

    private static final NationalCorpus CORPUS = NationalCorpus.of(5, 120, 600, ZonedDateTime.parse("2026-11-01T00:00:00Z"));
    private static final Registration REGISTRATION = new Registration("2.16.528.1.1007.3.3.99999999.1.1");

    private final TestDatabase db;

    NationalLoadTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void loadsStudiesReportsAndConsentsTheRegistryFinds() throws Exception {
        Layout lean = Layout.lean(1);
        new CorpusCopy(new BulkLoadCommand.Connector(db.dataSource(), db.jdbcUrl(), "postgres", ""), CORPUS, REGISTRATION,
                lean, 2).run();
        long consents;
        try (Connection c = db.dataSource().getConnection()) {
            consents = ConsentCopy.run(c, CORPUS);
        }
        new LoadCheck(db.dataSource(), CORPUS, REGISTRATION, lean).run();

        Layout.Rows rows = lean.rows(CORPUS);
        assertThat(db.count("document_content")).isEqualTo(rows.contents());
        assertThat(rows.contents() / 600.0).isBetween(0.75, 0.95);
        assertThat(db.queryForString("select count(*) from registry_object where study_role = 'manifest'")).isEqualTo("600");

        int[] counts = CORPUS.studiesPerPatient();
        List<Bsn> bsns = CORPUS.patientBsns();
        ImagingStudyIndex index = new ImagingStudyIndex(db.dataSource());
        for (int p : new int[]{0, 17, 60, 119}) {
            List<NationalStudy> expected = CORPUS.studiesOf(p, counts[p]);
            var page = index.search(StudySearch.forPatient(bsns.get(p).value()), 0, 1000);
            assertThat(page.studies().stream().map(ImagingStudySummary::studyInstanceUid).collect(Collectors.toSet()))
                    .isEqualTo(expected.stream().map(NationalStudy::studyUid).collect(Collectors.toSet()));
            NationalStudy first = expected.get(0);
            var byModality = index.search(StudySearch.forPatient(bsns.get(p).value())
                    .withModalities(List.of(first.dicomModality())), 0, 1000);
            assertThat(byModality.studies().stream().map(ImagingStudySummary::studyInstanceUid).collect(Collectors.toSet()))
                    .isEqualTo(expected.stream().filter(s -> s.dicomModality().equals(first.dicomModality()))
                            .map(NationalStudy::studyUid).collect(Collectors.toSet()));
        }

        ConsentStore store = new ConsentStore(db.dataSource(), Clock.systemUTC());
        long expectedConsents = 0;
        for (int p = 0; p < CORPUS.patients(); p++) {
            Optional<ConsentRecord> expected = CORPUS.consent(p, bsns.get(p), counts);
            expectedConsents += expected.isPresent() ? 1 : 0;
            List<ConsentRecord> stored = store.consentsOf(bsns.get(p));
            assertThat(stored).as("patient " + p + " " + CORPUS.consentKind(p)).hasSize(expected.isPresent() ? 1 : 0);
            if (expected.isPresent()) {
                assertThat(stored.get(0).id()).isEqualTo(expected.get().id());
                assertThat(Set.copyOf(stored.get(0).provisions())).isEqualTo(Set.copyOf(expected.get().provisions()));
            }
        }
        assertThat(consents).isEqualTo(expectedConsents).isGreaterThan(80);

        // the load generators' expected answers are what the registry's own study index answers
        var pool = nl.beeldbrug.bench.fhir.NationalSearchesAccess.draw(CORPUS, 200, 4);
        for (var search : pool) {
            var page = index.search(StudySearch.forPatient(search.bsn()).withModalities(List.of(search.modality()))
                    .withStarted(search.startedFrom().atStartOfDay(java.time.ZoneOffset.UTC).toInstant(), null), 0, 1000);
            assertThat(page.studies().stream().map(ImagingStudySummary::studyInstanceUid).collect(Collectors.toSet()))
                    .isEqualTo(search.expectedUids());
        }
        assertThat(CORPUS.consentKind(0)).isNotNull();
        assertThat(ConsentMix.values()).hasSize(6);
    }
}
