package nl.beeldbrug.registry.priors;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExamNormaliserTest {

    private final ExamNormaliser normaliser = ExamNormaliser.standard();

    private CanonicalExam text(String text) {
        return normaliser.normalise(ExamDescription.text(text));
    }

    @Test
    void dutchDescriptions() {
        assertThat(text("MRI knie li")).isEqualTo(exam(Modality.MR, Set.of("knee"), Laterality.LEFT, Contrast.UNKNOWN, text("MRI knie li")));
        assertThat(text("CT thorax/abdomen").regions()).containsExactlyInAnyOrder("chest", "abdomen");
        assertThat(text("X-thorax").modality()).isEqualTo(Modality.XR);
        assertThat(text("X-thorax").regions()).containsExactly("chest");
        assertThat(text("echo bovenbuik").modality()).isEqualTo(Modality.US);
        assertThat(text("echo bovenbuik").regions()).containsExactly("upper-abdomen");
        assertThat(text("CT abdomen zonder contrast").contrast()).isEqualTo(Contrast.WITHOUT);
        assertThat(text("CT abdomen met contrast").contrast()).isEqualTo(Contrast.WITH);
        assertThat(text("Mammografie beiderzijds").laterality()).isEqualTo(Laterality.BOTH);
        assertThat(text("Röntgen thorax").modality()).isEqualTo(Modality.XR);
    }

    @Test
    void dutchCompoundsSplitIntoKnownWords() {
        CanonicalExam exam = text("Schildklierscintigrafie");
        assertThat(exam.modality()).isEqualTo(Modality.NM);
        assertThat(exam.regions()).containsExactly("thyroid");
        assertThat(text("MRI rechterknie").laterality()).isEqualTo(Laterality.RIGHT);
    }

    @Test
    void codesWinOverWordsForTheModalityAndRegionsJoinKeepingTheMostSpecific() {
        CanonicalExam exam = normaliser.normalise(new ExamDescription(List.of(
                new ExamDescription.Code(ExamDescription.DCM, "CR"),
                new ExamDescription.Code(ExamDescription.SNOMED, "818983003")), "echo bovenbuik"));
        assertThat(exam.modality()).isEqualTo(Modality.XR);
        assertThat(exam.regions()).containsExactly("upper-abdomen");
        assertThat(exam.evidence()).anyMatch(e -> e.startsWith("DCM CR"));
        CanonicalExam loinc = normaliser.normalise(new ExamDescription(List.of(
                new ExamDescription.Code(ExamDescription.LOINC, "30799-1"), new ExamDescription.Code(ExamDescription.DCM, "MR")), ""));
        assertThat(loinc.modality()).isEqualTo(Modality.CT);
        assertThat(loinc.contrast()).isEqualTo(Contrast.WITHOUT);
    }

    @Test
    void nothingKnownGivesAnIncomparableExam() {
        assertThat(text("onderzoek").comparable()).isFalse();
        assertThat(text(null).regions()).isEmpty();
    }

    @Test
    void rankingPutsDuplicatesFirstThenSameRegionThenRelatedThenOtherNewestFirst() {
        PriorRanker ranker = new PriorRanker(normaliser.regions(), DuplicateWindows.defaults());
        Instant now = Instant.parse("2026-11-29T00:00:00Z");
        record Study(String text, int days) {
        }
        List<Study> studies = List.of(new Study("MRI hersenen", 10), new Study("X-knie links", 5), new Study("MRI knie links", 400),
                new Study("MRI knie links", 20), new Study("MRI onderbeen links", 3), new Study("MRI knie rechts", 1));
        List<PriorRanker.Ranked<Study>> ranked = ranker.rank(new PriorRanker.Planned(text("MRI knie li"), now), studies,
                s -> text(s.text()), s -> now.minus(Duration.ofDays(s.days())));
        assertThat(ranked).extracting(r -> r.study().text() + "/" + r.study().days() + "/" + r.category()).containsExactly(
                "MRI knie links/20/DUPLICATE",
                "MRI knie rechts/1/SAME_REGION", "X-knie links/5/SAME_REGION", "MRI knie links/400/SAME_REGION",
                "MRI onderbeen links/3/RELATED_REGION",
                "MRI hersenen/10/OTHER");
        assertThat(ranked.get(0).reason()).contains("MR window of 90 days");
        assertThat(ranked.get(1).reason()).contains("other side");
    }

    @Test
    void windowsAreConfigurable() {
        PriorRanker strict = new PriorRanker(normaliser.regions(), DuplicateWindows.defaults().with(Modality.MR, Duration.ofDays(10)));
        Instant now = Instant.parse("2026-11-29T00:00:00Z");
        assertThat(strict.judge(new PriorRanker.Planned(text("MRI knie li"), now), text("MRI knie links"), now.minus(Duration.ofDays(20)))
                .category()).isEqualTo(PriorCategory.SAME_REGION);
    }

    private static CanonicalExam exam(Modality m, Set<String> regions, Laterality side, Contrast contrast, CanonicalExam evidenceFrom) {
        return new CanonicalExam(m, regions, side, contrast, evidenceFrom.evidence());
    }
}
