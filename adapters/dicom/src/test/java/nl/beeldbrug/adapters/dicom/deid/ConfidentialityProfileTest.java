package nl.beeldbrug.adapters.dicom.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import org.junit.jupiter.api.Test;

class ConfidentialityProfileTest {
    private final ConfidentialityProfile profile = ConfidentialityProfile.standard();
    private final DeidentificationOptions ai = DeidentificationOptions.standardForAi();
    private final DeidentificationOptions basic = DeidentificationOptions.basic();

    @Test
    void hasEveryRowOfTheStandardsTable() {
        assertThat(profile.entries()).hasSize(621);
        assertThat(profile.entries().stream().map(ConfidentialityProfile.Entry::tag).collect(Collectors.toSet()))
                .hasSize(621);
    }

    @Test
    void dataFileNamesItsSourceAndGenerator() throws Exception {
        try (InputStream in = ConfidentialityProfile.class.getResourceAsStream(ConfidentialityProfile.RESOURCE)) {
            String head = new String(in.readNBytes(1200), StandardCharsets.UTF_8);
            assertThat(head).contains("innolitics/dicom-standard", "7f4749d09ed3ef2fa70637d376d423a4b13523cd",
                    "generate-deid-table.py", "rows: 621", "basicProfile\trtnSafePrivOpt");
        }
    }

    @Test
    void knownRows() {
        ConfidentialityProfile.Entry name = profile.entry(Tag.PatientName).orElseThrow();
        assertThat(name.name()).isEqualTo("Patient's Name");
        assertThat(name.basicProfile()).isEqualTo("Z");
        assertThat(profile.action(Tag.PatientName, ai)).isEqualTo(Action.Z);

        ConfidentialityProfile.Entry studyDate = profile.entry(Tag.StudyDate).orElseThrow();
        assertThat(studyDate.basicProfile()).isEqualTo("Z");
        assertThat(studyDate.option(ConfidentialityProfile.RETAIN_LONGITUDINAL_MODIFIED_DATES)).isEqualTo("C");
        assertThat(studyDate.option(ConfidentialityProfile.RETAIN_LONGITUDINAL_FULL_DATES)).isEqualTo("K");
        assertThat(profile.action(Tag.StudyDate, basic)).isEqualTo(Action.Z);
        assertThat(profile.action(Tag.StudyDate, ai)).isEqualTo(Action.C);

        assertThat(profile.entry(Tag.StudyInstanceUID).orElseThrow().basicProfile()).isEqualTo("U");
        assertThat(profile.action(Tag.StudyInstanceUID, ai)).isEqualTo(Action.U);
        assertThat(profile.action(Tag.ReferencedSOPInstanceUID, ai)).isEqualTo(Action.U);

        ConfidentialityProfile.Entry description = profile.entry(Tag.StudyDescription).orElseThrow();
        assertThat(description.basicProfile()).isEqualTo("X");
        assertThat(description.option(ConfidentialityProfile.CLEAN_DESCRIPTORS)).isEqualTo("C");
        assertThat(profile.action(Tag.StudyDescription, basic)).isEqualTo(Action.X);
        assertThat(profile.action(Tag.StudyDescription, ai)).isEqualTo(Action.C);
        assertThat(profile.action(Tag.StudyDescription, new DeidentificationOptions(true, false))).isEqualTo(Action.X);
    }

    @Test
    void combinedCodesResolveToAValueThatNeverKeepsTheOriginal() {
        assertThat(profile.entry(Tag.PatientID).orElseThrow().basicProfile()).isEqualTo("Z/D");
        assertThat(profile.action(Tag.PatientID, basic)).isEqualTo(Action.D);
        assertThat(profile.entry(Tag.AcquisitionDateTime).orElseThrow().basicProfile()).isEqualTo("X/Z/D");
        assertThat(profile.action(Tag.AcquisitionDateTime, basic)).isEqualTo(Action.D);
        assertThat(profile.entry(Tag.ReferencedImageSequence).orElseThrow().basicProfile()).isEqualTo("X/Z/U*");
        assertThat(profile.action(Tag.ReferencedImageSequence, basic)).isEqualTo(Action.U);
        assertThat(Action.resolve("X/Z")).isEqualTo(Action.Z);
        assertThat(Action.resolve("X/D")).isEqualTo(Action.D);
        assertThat(profile.entries().stream().map(ConfidentialityProfile.Entry::basicProfile)
                .collect(Collectors.toSet()))
                .isEqualTo(Set.of("X", "D", "U", "Z", "X/D", "X/Z", "X/Z/D", "Z/D", "X/Z/U*"));
        assertThatThrownBy(() -> Action.resolve("Q")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagPatternsAndPrivateAttributes() {
        assertThat(profile.entry(0x50020010).orElseThrow().tag()).isEqualTo("(50XX,XXXX)");
        assertThat(profile.action(0x501E3000, ai)).isEqualTo(Action.X);
        assertThat(profile.entry(0x60024000).orElseThrow().name()).isEqualTo("Overlay Comments");
        assertThat(profile.entry(0x60003000).orElseThrow().name()).isEqualTo("Overlay Data");
        assertThat(profile.entry(0x60000010)).isEmpty(); // Overlay Rows: not listed
        assertThat(profile.entry(0x00091010).orElseThrow().isPrivateAttributes()).isTrue();
        assertThat(profile.action(0x00290010, ai)).isEqualTo(Action.X);
        assertThat(profile.action(0x7FE10010, basic)).isEqualTo(Action.X);
    }

    @Test
    void attributesNotListedAreKept() {
        assertThat(profile.entry(Tag.Rows)).isEmpty();
        assertThat(profile.action(Tag.Rows, ai)).isEqualTo(Action.K);
        assertThat(profile.action(Tag.PixelData, ai)).isEqualTo(Action.K);
        assertThat(profile.action(Tag.Modality, ai)).isEqualTo(Action.K);
    }

    @Test
    void refusesABrokenDataFile() {
        String header = "tag\tname\tstdCompIOD\tbasicProfile\tcleanDescOpt\n";
        assertThatThrownBy(() -> ConfidentialityProfile.parse(new BufferedReader(new StringReader(
                header + "(0010,0010)\tPatient's Name\tY\tQ\t\n(GGGG,EEEE) WHERE GGGG IS ODD\tPrivate\tN\tX\t\n"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfidentialityProfile.parse(new BufferedReader(new StringReader(
                header + "(0010,0010)\tPatient's Name\tY\tZ\t\n"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Private");
    }
}
