package nl.beeldbrug.gateway.imaging;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.kos.InstanceReference;
import nl.beeldbrug.adapters.dicom.kos.KosManifestBuilder;
import nl.beeldbrug.registry.imaging.ManifestContents;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

public class KosManifestContentReaderTest {

    static final String STUDY = "1.2.528.1.1001.200.10.99";

    private final KosManifestContentReader reader = new KosManifestContentReader();

    /** A Part 10 KOS manifest of {@code study} referencing {@code instancesPerSeries[i]} instances of series i. */
    public static byte[] manifest(String study, int... instancesPerSeries) {
        AtomicInteger next = new AtomicInteger();
        KosManifestBuilder builder = new KosManifestBuilder(Clock.fixed(Instant.parse("2024-03-01T10:00:00Z"), ZoneOffset.UTC),
                () -> study + ".9." + next.incrementAndGet());
        Attributes attributes = new Attributes();
        attributes.setString(Tag.StudyInstanceUID, VR.UI, study);
        attributes.setString(Tag.PatientID, VR.LO, "PAT-1");
        List<InstanceReference> references = new ArrayList<>();
        for (int s = 0; s < instancesPerSeries.length; s++) {
            for (int i = 0; i < instancesPerSeries[s]; i++) {
                references.add(new InstanceReference(study, study + "." + (s + 1), UID.CTImageStorage,
                        study + "." + (s + 1) + "." + (i + 1), "PACS", "1.2.3.4"));
            }
        }
        Attributes kos = builder.build(attributes, references);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            DicomFile.of(kos, TransferSyntax.EXPLICIT_VR_LE.uid()).write(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Test
    void countsTheSeriesAndInstancesOfTheStudy() {
        ManifestContents contents = reader.read(manifest(STUDY, 3, 1), STUDY).orElseThrow();

        assertThat(contents.series()).extracting(ManifestContents.Series::uid, ManifestContents.Series::instances)
                .containsExactly(tuple(STUDY + ".1", 3), tuple(STUDY + ".2", 1));
        assertThat(contents.instancesKnown()).isTrue();
        assertThat(contents.seriesCount()).isEqualTo(2);
        assertThat(contents.instanceCount()).isEqualTo(4);
    }

    @Test
    void referencesToAnotherStudyAreNotCounted() {
        assertThat(reader.read(manifest(STUDY, 2), "1.2.3.other")).isEmpty();
        assertThat(reader.read(manifest(STUDY, 2), null).orElseThrow().instanceCount()).isEqualTo(2);
    }

    @Test
    void whatIsNotAManifestIsUnknownNotAnError() {
        assertThat(reader.read("%PDF-1.4 a report".getBytes(), STUDY)).isEmpty();
        assertThat(reader.read(new byte[0], STUDY)).isEmpty();
        byte[] truncated = manifest(STUDY, 5);
        assertThat(reader.read(java.util.Arrays.copyOf(truncated, truncated.length / 2), STUDY)).isEmpty();
    }
}
