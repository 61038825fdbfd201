package nl.beeldbrug.gateway.ai;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The QIDO-RS study matching of the AI DICOMweb view: StudyDate ranges (shifted dates), modalities, UIDs, pseudonym. */
class StudyFilterTest {

    private static AiQidoController.StudyFilter filter(String... params) {
        MockHttpServletRequest rq = new MockHttpServletRequest("GET", "/ai/dicomweb/studies");
        for (int i = 0; i < params.length; i += 2) {
            rq.addParameter(params[i], params[i + 1]);
        }
        return AiQidoController.StudyFilter.of(rq);
    }

    @Test
    void studyDateRanges() {
        assertThat(filter("StudyDate", "20200101-20201231").matches("2.25.1", "P", "20200615", Set.of("CT"))).isTrue();
        assertThat(filter("StudyDate", "20200101-20201231").matches("2.25.1", "P", "20210101", Set.of("CT"))).isFalse();
        assertThat(filter("StudyDate", "20200101-").matches("2.25.1", "P", "20300101", Set.of("CT"))).isTrue();
        assertThat(filter("StudyDate", "-20200101").matches("2.25.1", "P", "20200102", Set.of("CT"))).isFalse();
        assertThat(filter("00080020", "20200101").matches("2.25.1", "P", "20200101", Set.of("CT"))).isTrue();
        assertThat(filter("StudyDate", "20200101").matches("2.25.1", "P", null, Set.of("CT"))).isFalse();
        assertThatThrownBy(() -> filter("StudyDate", "2020-01-01")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void modalitiesUidsAndPseudonym() {
        assertThat(filter("ModalitiesInStudy", "mr,CT").matches("2.25.1", "P", "20200101", Set.of("CT"))).isTrue();
        assertThat(filter("ModalitiesInStudy", "MR").matches("2.25.1", "P", "20200101", Set.of("CT"))).isFalse();
        assertThat(filter("StudyInstanceUID", "2.25.1\\2.25.2").matches("2.25.2", "P", null, Set.of())).isTrue();
        assertThat(filter("StudyInstanceUID", "2.25.1").matches("2.25.2", "P", null, Set.of())).isFalse();
        assertThat(filter("PatientID", "P").matches("2.25.2", "Q", null, Set.of())).isFalse();
        assertThat(filter().matches("2.25.2", "Q", null, Set.of())).isTrue();
    }

    @Test
    void acceptHeaders() {
        assertThat(AiDicomWeb.acceptable(null, true)).isTrue();
        assertThat(AiDicomWeb.acceptable("application/dicom+json", true)).isTrue();
        assertThat(AiDicomWeb.acceptable("multipart/related; type=\"application/dicom\"", false)).isTrue();
        assertThat(AiDicomWeb.acceptable("image/jpeg", false)).isFalse();
        assertThat(AiDicomWeb.acceptable("multipart/related; type=\"application/dicom\"", true)).isFalse();
    }
}
