package nl.beeldbrug.adapters.dicom.kos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.net.DicomClient;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.adapters.dicom.net.RetrieveResult;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.OrthancPeer;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KosManifestTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:15:30Z"), ZoneOffset.UTC);
    private static final String LOCATION = "2.25.99";

    @TempDir
    Path tmp;

    private static List<InstanceReference> references(Fixtures.Study study) throws Exception {
        List<InstanceReference> refs = new ArrayList<>();
        for (Path f : study.files()) {
            Attributes ds = DicomFile.read(f).dataset();
            refs.add(new InstanceReference(ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SeriesInstanceUID),
                    ds.getString(Tag.SOPClassUID), ds.getString(Tag.SOPInstanceUID), "PACS_A", LOCATION));
        }
        return refs;
    }

    private static Attributes studyAttributes(Fixtures.Study study) throws Exception {
        Attributes first = DicomFile.read(study.files().get(0)).dataset();
        Attributes s = new Attributes();
        s.addAll(first.subset(Tag.PatientName, Tag.PatientSex));
        s.setString(Tag.StudyInstanceUID, VR.UI, study.studyUid());
        s.setString(Tag.AccessionNumber, VR.SH, "ACC-1");
        return s;
    }

    @Test
    void buildsAManifestThatParsesBackToTheSameReferences() throws Exception {
        Fixtures.Study study = Fixtures.study(tmp.resolve("src"), "kos");
        List<InstanceReference> refs = references(study);
        Attributes kos = new KosManifestBuilder(CLOCK).build(studyAttributes(study), refs);
        Path file = tmp.resolve("kos.dcm");
        DicomFile.of(kos, UID.ExplicitVRLittleEndian).write(file);

        KosManifest m = KosManifestParser.parse(DicomFile.read(file).dataset());
        assertThat(m.references()).containsExactlyInAnyOrderElementsOf(refs);
        assertThat(m.studyInstanceUid()).isEqualTo(study.studyUid());
        assertThat(m.patientId()).isEqualTo(Fixtures.PATIENT_ID);
        assertThat(m.accessionNumber()).isEqualTo("ACC-1");
        assertThat(kos.getString(Tag.ContentDate)).isEqualTo("20260301");

        // dcmtk's SR toolkit reads it as a Key Object Selection Document titled Manifest
        String dump = Peers.run(Peers.require("dsrdump", "dcmtk"), file.toString());
        assertThat(dump).contains("Key Object Selection Document").contains("Manifest");
    }

    @Test
    void rejectsDocumentsThatAreNotManifests() {
        Attributes a = new Attributes();
        a.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        assertThatThrownBy(() -> KosManifestParser.parse(a)).isInstanceOf(IllegalArgumentException.class);
        a.setString(Tag.SOPClassUID, VR.UI, UID.KeyObjectSelectionDocumentStorage);
        Attributes title = a.newSequence(Tag.ConceptNameCodeSequence).addItem();
        title.setString(Tag.CodeValue, VR.SH, "113000");
        title.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        assertThatThrownBy(() -> KosManifestParser.parse(a)).hasMessageContaining("Manifest");
    }

    @Test
    void orthancAcceptsTheManifest() throws Exception {
        Fixtures.Study study = Fixtures.study(tmp.resolve("src"), "kos-orthanc");
        List<InstanceReference> refs = references(study);
        Attributes kos = new KosManifestBuilder(CLOCK).build(studyAttributes(study), refs);
        Path file = tmp.resolve("kos.dcm");
        DicomFile.of(kos, UID.ExplicitVRLittleEndian).write(file);
        try (OrthancPeer orthanc = OrthancPeer.start(tmp.resolve("orthanc"), Map.of(), false, List.of())) {
            RetrieveResult r = DicomClient.of("BB_SCU").store(RemoteAe.of("ORTHANC", "127.0.0.1", orthanc.dicomPort()),
                    List.of(file));
            assertThat(r.success()).isTrue();
            JsonNode found = orthanc.post("/tools/lookup", kos.getString(Tag.SOPInstanceUID));
            String id = found.get(0).get("ID").asText();
            assertThat(orthanc.get("/instances/" + id + "/simplified-tags").get("Modality").asText()).isEqualTo("KO");
            Path back = tmp.resolve("back.dcm");
            Files.write(back, orthanc.download("/instances/" + id + "/file"));
            assertThat(KosManifestParser.parse(DicomFile.read(back).dataset()).references())
                    .containsExactlyInAnyOrderElementsOf(refs);
        }
    }
}
