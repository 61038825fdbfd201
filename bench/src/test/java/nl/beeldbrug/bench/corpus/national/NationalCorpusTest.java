package nl.beeldbrug.bench.corpus.national;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ProvisionType;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NationalCorpusTest {

    static final ZonedDateTime NOW = ZonedDateTime.parse("2026-11-01T00:00:00Z");
    static final NationalCorpus CORPUS = NationalCorpus.of(42, 4_000, 20_000, NOW);

    @Test
    void exactlyTheAskedNumberOfStudiesEveryPatientAtLeastOne() {
        int[] counts = CORPUS.studiesPerPatient();
        assertThat(counts).hasSize(4_000);
        assertThat(java.util.Arrays.stream(counts).min().orElseThrow()).isEqualTo(1);
        assertThat(java.util.Arrays.stream(counts).sum()).isEqualTo(20_000);
        assertThat(java.util.Arrays.stream(counts).max().orElseThrow()).as("skewed: some patients have many").isGreaterThan(20);
    }

    @Test
    void deterministicFromTheSeed() {
        NationalCorpus again = NationalCorpus.of(42, 4_000, 20_000, NOW);
        int[] counts = CORPUS.studiesPerPatient();
        assertThat(again.studiesPerPatient()).isEqualTo(counts);
        for (int p : new int[]{0, 1, 1234, 3999}) {
            assertThat(again.person(p)).isEqualTo(CORPUS.person(p));
            List<NationalStudy> a = CORPUS.studiesOf(p, counts[p]);
            List<NationalStudy> b = again.studiesOf(p, counts[p]);
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.size(); i++) {
                assertThat(b.get(i).studyUid()).isEqualTo(a.get(i).studyUid());
                assertThat(b.get(i).started()).isEqualTo(a.get(i).started());
                assertThat(b.get(i).description()).isEqualTo(a.get(i).description());
                assertThat(b.get(i).instances()).isEqualTo(a.get(i).instances());
            }
        }
        assertThat(NationalCorpus.of(43, 4_000, 20_000, NOW).studiesPerPatient()).isNotEqualTo(counts);
    }

    @Test
    void distributionsOverTwentyThousandStudies() {
        int[] counts = CORPUS.studiesPerPatient();
        Map<String, Integer> modalities = new HashMap<>();
        Set<String> sites = new HashSet<>();
        int reports = 0;
        int zdc = 0;
        long oldestDays = 0;
        int total = 0;
        Set<String> uids = new HashSet<>();
        int olderPatientsStudies = 0;
        int olderPatients = 0;
        for (int p = 0; p < CORPUS.patients(); p++) {
            Person person = CORPUS.person(p);
            for (NationalStudy s : CORPUS.studiesOf(p, counts[p])) {
                total++;
                modalities.merge(s.exam().modality(), 1, Integer::sum);
                sites.add(s.site().ura());
                zdc += s.site().hospital() ? 0 : 1;
                reports += s.report() ? 1 : 0;
                assertThat(s.started()).isBefore(NOW);
                assertThat(s.started().toLocalDate()).isAfter(person.birthDate());
                oldestDays = Math.max(oldestDays, Duration.between(s.started(), NOW).toDays());
                assertThat(uids.add(s.studyUid())).isTrue();
                assertThat(s.studyUid().length()).isLessThanOrEqualTo(64);
                assertThat(s.studyUid()).matches("2\\.25\\.[0-9]+");
                if ("MG".equals(s.exam().modality())) {
                    assertThat(person.sex()).isEqualTo('F');
                }
            }
            if (person.ageOn(NOW.toLocalDate()) >= 65) {
                olderPatients++;
                olderPatientsStudies += counts[p];
            }
        }
        assertThat(total).isEqualTo(20_000);
        for (ExamCatalogue.ModalityShare m : ExamCatalogue.MODALITIES) {
            assertThat(modalities.get(m.modality()) / (double) total).as(m.modality())
                    .isCloseTo(m.perMille() / 1000.0, within(0.015));
        }
        assertThat(sites).hasSize(230).containsAll(Sites.ALL.stream().map(SyntheticStudies.Site::ura).toList());
        assertThat(reports / (double) total).isCloseTo(0.85, within(0.01));
        assertThat(zdc / (double) total).isBetween(0.2, 0.4);
        assertThat(oldestDays).isBetween(9L * 365, 10L * 366);
        assertThat(olderPatientsStudies / (double) olderPatients).as("older patients have more studies")
                .isGreaterThan(5.5);
    }

    @Test
    void sitesHaveEightDigitUrasAndDistinctNames() {
        assertThat(Sites.HOSPITALS).hasSize(80).allMatch(SyntheticStudies.Site::hospital);
        assertThat(Sites.ZDCS).hasSize(150).noneMatch(SyntheticStudies.Site::hospital);
        assertThat(Sites.ALL).allMatch(s -> s.ura().matches("[0-9]{8}"));
        assertThat(Sites.ALL.stream().map(SyntheticStudies.Site::ura).distinct()).hasSize(230);
        assertThat(Sites.ALL.stream().map(SyntheticStudies.Site::name).distinct()).hasSize(230);
    }

    @Test
    void everyBsnPassesTheElfproefOutsideTheTestRange() {
        List<Bsn> bsns = CORPUS.patientBsns();
        assertThat(bsns).hasSize(4_000).doesNotHaveDuplicates();
        for (Bsn bsn : bsns) {
            assertThat(Bsn.parse(bsn.value())).contains(bsn);
            assertThat(bsn.value()).doesNotStartWith("99999");
        }
    }

    @Test
    void consentMix() {
        int[] counts = CORPUS.studiesPerPatient();
        List<Bsn> bsns = CORPUS.patientBsns();
        Map<ConsentMix, Integer> kinds = new EnumMap<>(ConsentMix.class);
        int visible = 0;
        for (int p = 0; p < CORPUS.patients(); p++) {
            ConsentMix kind = CORPUS.consentKind(p);
            kinds.merge(kind, 1, Integer::sum);
            Optional<ConsentRecord> consent = CORPUS.consent(p, bsns.get(p), counts);
            assertThat(consent.isPresent()).isEqualTo(kind != ConsentMix.NONE);
            boolean denies = consent.map(c -> c.provisions().stream().anyMatch(v -> v.type() == ProvisionType.DENY)).orElse(false);
            assertThat(denies).isEqualTo(!kind.fullyVisible());
            visible += CORPUS.fullyVisible(p) ? 1 : 0;
            if (kind == ConsentMix.DENY_STUDY) {
                String denied = consent.orElseThrow().provisions().get(1).studyUids().iterator().next();
                assertThat(CORPUS.studiesOf(p, counts[p])).anyMatch(s -> s.studyUid().equals(denied));
            }
        }
        assertThat(visible / (double) CORPUS.patients()).isCloseTo(0.95, within(0.015));
        assertThat(kinds.get(ConsentMix.PERMIT) / (double) CORPUS.patients()).isCloseTo(0.68, within(0.03));
        assertThat(kinds.get(ConsentMix.PERMIT_AI) / (double) CORPUS.patients()).isCloseTo(0.05, within(0.015));
        assertThat(kinds.get(ConsentMix.NONE) / (double) CORPUS.patients()).isCloseTo(0.22, within(0.03));
    }

    @Test
    void xdsMetadataCarriesTheStudy() {
        int[] counts = CORPUS.studiesPerPatient();
        StudyCorpus.PatientStudies patient = CORPUS.patient(7, CORPUS.patientBsns(), counts);
        List<NationalStudy> studies = CORPUS.studiesOf(7, counts[7]);
        assertThat(patient.studies()).hasSize(counts[7]);
        for (int i = 0; i < studies.size(); i++) {
            SyntheticStudies.Study xds = patient.studies().get(i);
            NationalStudy s = studies.get(i);
            assertThat(xds.manifest().getUniqueId()).isEqualTo(s.studyUid() + ".1");
            assertThat(xds.manifest().getTitle().getValue()).isEqualTo(s.description());
            assertThat(xds.manifest().getEventCodeList()).anyMatch(c -> c.getCode().equals(s.dicomModality()));
            assertThat(xds.manifest().getEventCodeList()).anyMatch(c -> c.getCode().equals(s.exam().snomed()));
            assertThat(xds.report() != null).isEqualTo(CORPUS.hasReport(7, i)).isEqualTo(s.report());
            assertThat(xds.site()).isEqualTo(s.site());
        }
    }
}
