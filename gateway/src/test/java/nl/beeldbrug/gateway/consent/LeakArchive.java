package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Uids;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.OrthancPeer;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The source archive of the leak property test: a real Orthanc on loopback holding one small instance (a 4×4 secondary
 * capture) per generated study, connected to the gateway twice — as the default source over DICOMweb, and over DIMSE
 * (C-GET) as the archive of one ZDC site ({@value #DIMSE_URA}) — so that WADO-RS and RAD-69 drive both fetch paths.
 */
final class LeakArchive implements AutoCloseable {

    /** The ZDC site (in {@code SyntheticStudies.SITES}) whose studies are fetched over DIMSE. */
    static final String DIMSE_URA = "34000011";

    /** The instance held for a study. */
    record Instance(String studyUid, String seriesUid, String sopUid) {
    }

    private final Path dir;
    private final OrthancPeer orthanc;
    private final Map<String, Instance> instances = new LinkedHashMap<>();

    LeakArchive(Path dir) throws IOException {
        this.dir = dir;
        this.orthanc = OrthancPeer.start(dir.resolve("orthanc"), Map.of(), true, List.of());
    }

    void register(DynamicPropertyRegistry registry) {
        registry.add("beeldbrug.bridge.ae-title", () -> "BEELDBRUG");
        registry.add("beeldbrug.bridge.serve.spool-dir", () -> dir.resolve("spool").toString());
        registry.add("beeldbrug.bridge.serve.default-source", () -> "web");
        registry.add("beeldbrug.bridge.serve.imports.enabled", () -> "false");
        registry.add("beeldbrug.bridge.publishing.enabled", () -> "false");
        source(registry, 0, "web", "34000099", orthanc.baseUrl() + "/dicom-web/");
        source(registry, 1, "dimse", DIMSE_URA, null);
    }

    private void source(DynamicPropertyRegistry registry, int i, String id, String ura, String dicomweb) {
        String p = "beeldbrug.bridge.sources[" + i + "].";
        registry.add(p + "id", () -> id);
        registry.add(p + "ura", () -> ura);
        registry.add(p + "name", () -> id + " archive");
        registry.add(p + "type", () -> "zdc");
        registry.add(p + "dicom.ae-title", () -> "ORTHANC");
        registry.add(p + "dicom.host", () -> "127.0.0.1");
        registry.add(p + "dicom.port", orthanc::dicomPort);
        if (dicomweb != null) {
            registry.add(p + "dicomweb.base-url", () -> dicomweb);
        }
    }

    /** Writes one instance per study and stores them all into Orthanc with one storescu run. */
    void load(List<LeakWorld.Study> studies) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu", "dcmtk"), "-aec", "ORTHANC", "127.0.0.1",
                String.valueOf(orthanc.dicomPort())));
        try {
            Files.createDirectories(dir.resolve("instances"));
            for (LeakWorld.Study study : studies) {
                Instance instance = new Instance(study.uid(), Uids.create(), Uids.create());
                Path file = dir.resolve("instances").resolve(instance.sopUid() + ".dcm");
                DicomFile.of(dataset(study, instance), UID.ExplicitVRLittleEndian).write(file);
                instances.put(study.uid(), instance);
                cmd.add(file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Peers.run(cmd.toArray(String[]::new));
    }

    Instance instanceOf(LeakWorld.Study study) {
        return instances.get(study.uid());
    }

    private static Attributes dataset(LeakWorld.Study study, Instance instance) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, instance.sopUid());
        ds.setString(Tag.StudyDate, VR.DA, "20260101");
        ds.setString(Tag.StudyTime, VR.TM, "093000");
        ds.setString(Tag.Modality, VR.CS, "OT");
        ds.setString(Tag.PatientName, VR.PN, "Test^Beeldbrug");
        ds.setString(Tag.PatientID, VR.LO, study.patient().value());
        ds.setString(Tag.IssuerOfPatientID, VR.LO, "2.16.840.1.113883.2.4.6.3");
        ds.setString(Tag.StudyInstanceUID, VR.UI, instance.studyUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, instance.seriesUid());
        ds.setString(Tag.SeriesNumber, VR.IS, "1");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.setInt(Tag.SamplesPerPixel, VR.US, 1);
        ds.setString(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        ds.setInt(Tag.Rows, VR.US, 4);
        ds.setInt(Tag.Columns, VR.US, 4);
        ds.setInt(Tag.BitsAllocated, VR.US, 8);
        ds.setInt(Tag.BitsStored, VR.US, 8);
        ds.setInt(Tag.HighBit, VR.US, 7);
        ds.setInt(Tag.PixelRepresentation, VR.US, 0);
        ds.setBytes(Tag.PixelData, VR.OB, new byte[16]);
        return ds;
    }

    @Override
    public void close() {
        orthanc.close();
    }
}
