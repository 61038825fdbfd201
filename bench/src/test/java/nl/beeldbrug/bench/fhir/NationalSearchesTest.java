package nl.beeldbrug.bench.fhir;

import nl.beeldbrug.bench.corpus.national.FhirBundles;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.corpus.national.NationalStudy;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The national corpus' searches: only patients without a deny, exact sets, and the ids read back from a HAPI bundle. */
class NationalSearchesTest {

    static final NationalCorpus CORPUS = NationalCorpus.of(3, 500, 2500, ZonedDateTime.parse("2026-11-01T00:00:00Z"));

    @Test
    void searchesComeFromFullyVisiblePatientsWithTheExactExpectedSet() {
        StudyQueries.Pool pool = StudyQueries.drawNational(CORPUS, 300, 1);
        int[] counts = CORPUS.studiesPerPatient();
        for (StudyQueries.Search s : pool.searches()) {
            assertThat(CORPUS.fullyVisible(s.patient())).isTrue();
            assertThat(CORPUS.patientBsns().get(s.patient()).value()).isEqualTo(s.bsn());
            Set<String> expected = CORPUS.studiesOf(s.patient(), counts[s.patient()]).stream()
                    .filter(st -> st.dicomModality().equals(s.modality()) && !st.started().toLocalDate().isBefore(s.startedFrom()))
                    .map(NationalStudy::studyUid).collect(Collectors.toSet());
            assertThat(s.expectedUids()).isEqualTo(expected).isNotEmpty().hasSize(s.expectedTotal());
        }
        assertThat(StudyQueries.drawNational(CORPUS, 300, 1).searches()).isEqualTo(pool.searches());
    }

    @Test
    void studyIdsOfAHapiSearchsetAreTheStudyUids() {
        int[] counts = CORPUS.studiesPerPatient();
        List<NationalStudy> studies = CORPUS.studiesOf(9, counts[9]);
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(studies.size());
        studies.forEach(s -> bundle.addEntry().setResource(FhirBundles.imagingStudy(s)));
        Set<String> uids = studies.stream().map(NationalStudy::studyUid).collect(Collectors.toSet());
        assertThat(ImagingStudyLoadCommand.studyIds(FhirBundles.context().newJsonParser().encodeResourceToString(bundle))).isEqualTo(uids);
        assertThat(ImagingStudyLoadCommand.studyIds(FhirBundles.context().newJsonParser().setPrettyPrint(true)
                .encodeResourceToString(bundle))).isEqualTo(uids);
    }
}
