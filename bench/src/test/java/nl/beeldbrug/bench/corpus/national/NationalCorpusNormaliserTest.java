package nl.beeldbrug.bench.corpus.national;

import nl.beeldbrug.registry.priors.CanonicalExam;
import nl.beeldbrug.registry.priors.ExamDescription;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import nl.beeldbrug.registry.priors.Laterality;
import nl.beeldbrug.registry.priors.Modality;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every exam kind the national corpus makes normalises to the region, modality and side it is meant to be. */
class NationalCorpusNormaliserTest {

    private final ExamNormaliser normaliser = ExamNormaliser.standard();

    @Test
    void everyExamKindNormalisesToItsIntendedRegionModalityAndSide() {
        int checked = 0;
        for (ExamCatalogue.Exam exam : ExamCatalogue.EXAMS) {
            List<String> dicomCodes = "XR".equals(exam.modality()) ? List.of("DX", "CR") : List.of(exam.modality());
            List<Laterality> sides = exam.sided() ? List.of(Laterality.LEFT, Laterality.RIGHT, Laterality.BOTH)
                    : List.of(Laterality.UNKNOWN);
            for (String dicom : dicomCodes) {
                for (Laterality side : sides) {
                    // as the prior check reads a stored study: DICOM modality + SNOMED body site codes, and the title
                    CanonicalExam canonical = normaliser.normalise(new ExamDescription(List.of(
                            new ExamDescription.Code(ExamDescription.DCM, dicom),
                            new ExamDescription.Code(ExamDescription.SNOMED, exam.snomed())), exam.describe(side)));
                    String what = dicom + " / " + exam.describe(side) + " → " + canonical.summary();
                    assertThat(canonical.modality()).as(what).isEqualTo(Modality.of(exam.modality()));
                    assertThat(canonical.regions()).as(what).isEqualTo(Set.of(exam.region()));
                    assertThat(canonical.laterality()).as(what).isEqualTo(side);
                    // the words alone say the same (a source that sends no codes)
                    CanonicalExam words = normaliser.normalise(ExamDescription.text(exam.describe(side)));
                    assertThat(words.modality()).as("words: " + what).isEqualTo(Modality.of(exam.modality()));
                    assertThat(words.regions()).as("words: " + what).isEqualTo(Set.of(exam.region()));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(60);
    }

    @Test
    void sidedExamsAreExactlyThoseOfPairedRegions() {
        List<String> wrong = new ArrayList<>();
        for (ExamCatalogue.Exam exam : ExamCatalogue.EXAMS) {
            if (exam.sided() && !normaliser.regions().paired(exam.region())) {
                wrong.add(exam.description());
            }
        }
        assertThat(wrong).isEmpty();
    }
}
