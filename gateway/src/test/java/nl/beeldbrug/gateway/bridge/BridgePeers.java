package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.OrthancPeer;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The PACS bridge's peers for in-process tests: a "ZDC archive" Orthanc (DICOMweb and DIMSE) and a "hospital PACS"
 * Orthanc (DIMSE), configured as sources {@code zdc} (URA {@value #ZDC_URA}, over DICOMweb), {@code zdc-dimse}
 * (URA {@value #ZDC_DIMSE_URA}, the same Orthanc over C-FIND/C-GET) and {@code hospital} (URA {@value #HOSPITAL_URA}).
 */
public final class BridgePeers implements AutoCloseable {

    public static final String ZDC_URA = "00001234"; // SampleMetadata's author institution
    static final String ZDC_DIMSE_URA = "00005678";
    static final String HOSPITAL_URA = "00009999";

    public final Path dir;
    public final OrthancPeer zdc;
    public final OrthancPeer hospital;

    public BridgePeers(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.zdc = OrthancPeer.start(dir.resolve("zdc"), Map.of(), true, List.of());
        this.hospital = OrthancPeer.start(dir.resolve("hospital"), Map.of(), false, List.of());
    }

    public void register(DynamicPropertyRegistry registry) {
        registry.add("beeldbrug.bridge.ae-title", () -> "BEELDBRUG");
        registry.add("beeldbrug.bridge.serve.spool-dir", () -> dir.resolve("spool").toString());
        source(registry, 0, "zdc", ZDC_URA, "zdc", zdc.dicomPort(), zdc.baseUrl() + "/dicom-web/");
        source(registry, 1, "zdc-dimse", ZDC_DIMSE_URA, "zdc", zdc.dicomPort(), null);
        source(registry, 2, "hospital", HOSPITAL_URA, "hospital", hospital.dicomPort(), null);
    }

    private static void source(DynamicPropertyRegistry registry, int i, String id, String ura, String type, int port,
                               String dicomweb) {
        String p = "beeldbrug.bridge.sources[" + i + "].";
        registry.add(p + "id", () -> id);
        registry.add(p + "ura", () -> ura);
        registry.add(p + "name", () -> id + " archive");
        registry.add(p + "type", () -> type);
        registry.add(p + "dicom.ae-title", () -> "ORTHANC");
        registry.add(p + "dicom.host", () -> "127.0.0.1");
        registry.add(p + "dicom.port", () -> port);
        if (dicomweb != null) {
            registry.add(p + "dicomweb.base-url", () -> dicomweb);
        }
    }

    /** A multi-series study (3 series, 4 instances incl. JPEG 2000) loaded into the ZDC Orthanc with storescu. */
    public Fixtures.Study loadIntoZdc(String tag) {
        Fixtures.Study study = Fixtures.study(dir.resolve("fixtures-" + tag), tag);
        storescu(zdc, study.files());
        return study;
    }

    /** storescu of Fixtures files: the first three as they are, the JPEG 2000 one in its own run (-xw). */
    static void storescu(OrthancPeer orthanc, List<Path> files) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu", "dcmtk"), "-R", "-aec", "ORTHANC",
                "127.0.0.1", String.valueOf(orthanc.dicomPort())));
        files.subList(0, 3).forEach(f -> cmd.add(f.toString()));
        Peers.run(cmd.toArray(String[]::new));
        Peers.run(Peers.require("storescu", "dcmtk"), "-xw", "-aec", "ORTHANC", "127.0.0.1",
                String.valueOf(orthanc.dicomPort()), files.get(3).toString());
    }

    /** Registers a KOS entry for the study through the repository's ITI-41 path, authored by {@code ura}. */
    public static void register(DocumentRepositoryService repository, Bsn patient, String studyUid, String ura) {
        SampleMetadata sample = SampleMetadata.forPatient(patient);
        DocumentEntry kos = sample.kos(studyUid);
        // XDS-I.b names the study with the 2016 studyInstanceUID type; the sample uses the 2013 uniqueId type
        kos.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        kos.getReferenceIdList().add(0, new ReferenceId(studyUid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        kos.getAuthors().get(0).getAuthorInstitution().set(0,
                new Organization("Archief " + ura, ura, new AssigningAuthority("2.16.528.1.1007.3.3", "ISO")));
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), kos));
    }

    /** SOP Instance UID → pixel data hash of what an Orthanc holds of a study (downloaded file by file). */
    static Map<String, String> contents(OrthancPeer orthanc, String studyUid, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> out = new TreeMap<>();
        var found = orthanc.post("/tools/find", "{\"Level\":\"Instance\",\"Query\":{\"StudyInstanceUID\":\"" + studyUid + "\"}}");
        for (var id : found) {
            Path f = dir.resolve(id.asText() + ".dcm");
            Files.write(f, orthanc.download("/instances/" + id.asText() + "/file"));
            out.putAll(Fixtures.instances(List.of(f)));
        }
        return out;
    }

    @Override
    public void close() {
        zdc.close();
        hospital.close();
    }
}
