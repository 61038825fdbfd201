package nl.beeldbrug.gateway.bridge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.databind.JsonNode;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.kos.InstanceReference;
import nl.beeldbrug.adapters.dicom.kos.KosManifestParser;
import nl.beeldbrug.adapters.dicom.testing.OrthancPeer;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.gateway.bridge.TestStudies.Patient;
import nl.beeldbrug.gateway.bridge.TestStudies.Study;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.PatientIds;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * PACS bridge publishing end to end on loopback: two Orthanc archives (a ZDC polled over QIDO-RS, a hospital
 * polled over C-FIND) loaded by dcmtk's storescu, and a modality pushing to Beeldbrug's own C-STORE SCP. Each
 * stable study is found with ITI-18 (IPF client), its KOS (ITI-43) lists exactly the instances the archive holds,
 * FHIR ImagingStudy shows modality, body site, date and organisation; a grown study replaces its manifest, a
 * rejection note deprecates it, a bad BSN lands on the review list.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.bridge.ae-title=BEELDBRUG",
        "beeldbrug.bridge.publishing.bind-address=127.0.0.1"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BridgePublishingIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String A = "999990019";
    private static final String B = "999990020";
    private static final String C = "999990032";
    private static final String E = "999990044";
    private static Path tmp;
    private static OrthancPeer zdc;
    private static OrthancPeer hospital;
    private static int scpPort;

    @DynamicPropertySource
    static void peers(DynamicPropertyRegistry registry) throws Exception {
        FreshDatabase.register(registry, "it-bridge-postgres");
        tmp = Files.createTempDirectory(Path.of("target"), "bridge-it");
        zdc = OrthancPeer.start(tmp.resolve("zdc"), Map.of(), true, List.of());
        hospital = OrthancPeer.start(tmp.resolve("hospital"), Map.of(), false, List.of());
        scpPort = Peers.freePort();
        // a list is bound from one property source: every source key is registered here
        registry.add("beeldbrug.bridge.sources[0].id", () -> "zdc");
        registry.add("beeldbrug.bridge.sources[0].ura", () -> "34000011");
        registry.add("beeldbrug.bridge.sources[0].name", () -> "ZDC Beeldvorming Utrecht");
        registry.add("beeldbrug.bridge.sources[0].type", () -> "zdc");
        registry.add("beeldbrug.bridge.sources[0].detection.mode", () -> "QIDO");
        registry.add("beeldbrug.bridge.sources[0].detection.interval", () -> "500ms");
        registry.add("beeldbrug.bridge.sources[0].detection.stable-after", () -> "2s");
        registry.add("beeldbrug.bridge.sources[0].identity.local-domain", () -> "2.16.528.1.1007.3.3.34000011.2");
        registry.add("beeldbrug.bridge.sources[1].id", () -> "hospital");
        registry.add("beeldbrug.bridge.sources[1].ura", () -> "12000002");
        registry.add("beeldbrug.bridge.sources[1].name", () -> "Maasstad Ziekenhuis");
        registry.add("beeldbrug.bridge.sources[1].type", () -> "hospital");
        registry.add("beeldbrug.bridge.sources[1].detection.mode", () -> "CFIND");
        registry.add("beeldbrug.bridge.sources[1].detection.interval", () -> "500ms");
        registry.add("beeldbrug.bridge.sources[1].detection.stable-after", () -> "2s");
        registry.add("beeldbrug.bridge.sources[2].id", () -> "modality");
        registry.add("beeldbrug.bridge.sources[2].ura", () -> "12000003");
        registry.add("beeldbrug.bridge.sources[2].name", () -> "Ziekenhuis Gelderse Vallei");
        registry.add("beeldbrug.bridge.sources[2].dicom.ae-title", () -> "MODALITY1");
        registry.add("beeldbrug.bridge.sources[2].dicom.port", () -> "104");
        registry.add("beeldbrug.bridge.sources[2].detection.mode", () -> "PUSH");
        registry.add("beeldbrug.bridge.sources[2].detection.interval", () -> "500ms");
        registry.add("beeldbrug.bridge.sources[2].detection.stable-after", () -> "2s");
        registry.add("beeldbrug.bridge.publishing.spool-dir", () -> tmp.resolve("spool").toString());
        registry.add("beeldbrug.bridge.dicom-port", () -> scpPort);
        registry.add("beeldbrug.bridge.sources[0].dicomweb.base-url", () -> zdc.baseUrl() + "/dicom-web/");
        registry.add("beeldbrug.bridge.sources[1].dicom.ae-title", () -> "ORTHANC");
        registry.add("beeldbrug.bridge.sources[1].dicom.host", () -> "127.0.0.1");
        registry.add("beeldbrug.bridge.sources[1].dicom.port", hospital::dicomPort);
    }

    @AfterAll
    void stop() {
        zdc.close();
        hospital.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    ProducerTemplate producer;

    private final TestStudies studies = new TestStudies(Path.of("target", "bridge-it-files-" + ProcessHandle.current().pid()));
    private Study zdcStudy;
    private List<Path> zdcSeries1;
    private Study mrStudy;
    private Study hospitalStudy;

    private static void storescu(int port, String calledAe, String callingAe, List<Path> files) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu", "dcmtk"), "-aet", callingAe, "-aec", calledAe,
                "127.0.0.1", Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        Peers.run(cmd.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void polledStudiesOfBothArchivesArePublishedWithTheirMetadataAndExactInstanceLists() throws Exception {
        zdcStudy = studies.study(Patient.bsnInOtherIds("ZDC-7", A), "ACC-ZDC-1");
        zdcSeries1 = studies.series(zdcStudy, "CT_small.dcm", "CT", "CHEST", 2);
        studies.series(zdcStudy, "CT_small.dcm", "CT", "CHEST", 2);
        studies.pdfReport(zdcStudy);
        mrStudy = studies.study(Patient.bsnAsPatientId(B), "ACC-ZDC-2");
        studies.series(mrStudy, "MR_small.dcm", "MR", "HEAD", 2);
        hospitalStudy = studies.study(Patient.bsnAsPatientId(C), "ACC-H-1");
        studies.series(hospitalStudy, "CT_small.dcm", "CT", "ABDOMEN", 3);
        storescu(zdc.dicomPort(), "ORTHANC", "LOADER", zdcStudy.files());
        storescu(zdc.dicomPort(), "ORTHANC", "LOADER", mrStudy.files());
        storescu(hospital.dicomPort(), "ORTHANC", "LOADER", hospitalStudy.files());

        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(kosOf(A, zdcStudy.studyUid())).isNotNull());
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(kosOf(B, mrStudy.studyUid())).isNotNull());
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(kosOf(C, hospitalStudy.studyUid())).isNotNull());

        assertManifestListsExactly(A, zdcStudy.studyUid(), orthancInstances(zdc, zdcStudy.studyUid()));
        assertManifestListsExactly(B, mrStudy.studyUid(), orthancInstances(zdc, mrStudy.studyUid()));
        assertManifestListsExactly(C, hospitalStudy.studyUid(), orthancInstances(hospital, hospitalStudy.studyUid()));

        DocumentEntry kos = kosOf(A, zdcStudy.studyUid());
        assertThat(kos.getSourcePatientId().getId()).isEqualTo("ZDC-7");
        assertThat(kos.getReferenceIdList()).extracting(ReferenceId::getId).contains(zdcStudy.studyUid(), "ACC-ZDC-1");
        assertThat(kos.getEventCodeList()).extracting(Code::getCode).containsExactly("CT", "51185008");

        ImagingStudy ct = fhir().read().resource(ImagingStudy.class).withId(zdcStudy.studyUid()).execute();
        assertThat(ct.getModality()).extracting(Coding::getCode).containsExactly("CT");
        assertThat(ct.getExtensionsByUrl(FhirNaming.EXT_BODY_SITE)).extracting(e -> ((Coding) e.getValue()).getCode())
                .containsExactly("51185008");
        assertThat(ct.getStartedElement().getValueAsString()).startsWith(TestStudies.TODAY.substring(0, 4) + "-"
                + TestStudies.TODAY.substring(4, 6) + "-" + TestStudies.TODAY.substring(6));
        assertThat(((Reference) ct.getExtensionByUrl(FhirNaming.EXT_PERFORMER).getValue()).getReference()).contains("34000011");
        assertThat(ct.getNumberOfSeries()).isEqualTo(3); // two CT series and the PDF's series
        assertThat(ct.getNumberOfInstances()).isEqualTo(5);
        assertThat(ct.getExtensionsByUrl(FhirNaming.EXT_REPORT)).hasSize(1); // the PDF, a document of its own

        ImagingStudy mr = fhir().read().resource(ImagingStudy.class).withId(mrStudy.studyUid()).execute();
        assertThat(mr.getModality()).extracting(Coding::getCode).containsExactly("MR");
        assertThat(mr.getExtensionsByUrl(FhirNaming.EXT_BODY_SITE)).extracting(e -> ((Coding) e.getValue()).getCode())
                .containsExactly("69536005");
        ImagingStudy abdomen = fhir().read().resource(ImagingStudy.class).withId(hospitalStudy.studyUid()).execute();
        assertThat(abdomen.getExtensionsByUrl(FhirNaming.EXT_BODY_SITE)).extracting(e -> ((Coding) e.getValue()).getCode())
                .containsExactly("818983003");
        assertThat(((Reference) abdomen.getExtensionByUrl(FhirNaming.EXT_PERFORMER).getValue()).getReference()).contains("12000002");
        assertThat(abdomen.getNumberOfInstances()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void aGrownStudyReplacesItsManifestAndStaysOneStudy() throws Exception {
        String first = kosOf(A, zdcStudy.studyUid()).getEntryUuid();
        storescu(zdc.dicomPort(), "ORTHANC", "LOADER", studies.series(zdcStudy, "CT_small.dcm", "CT", "CHEST", 1));

        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(kosOf(A, zdcStudy.studyUid()).getEntryUuid()).isNotEqualTo(first));
        assertManifestListsExactly(A, zdcStudy.studyUid(), orthancInstances(zdc, zdcStudy.studyUid()));
        List<DocumentEntry> all = find(A, List.of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED));
        assertThat(all).filteredOn(e -> e.getEntryUuid().equals(first)).extracting(DocumentEntry::getAvailabilityStatus)
                .containsExactly(AvailabilityStatus.DEPRECATED);
        assertThat(find(A, List.of(AvailabilityStatus.APPROVED))).filteredOn(BridgePublishingIT::isKos).hasSize(1);
        Bundle timeline = fhir().search().byUrl("ImagingStudy?patient=Patient/" + A).returnBundle(Bundle.class).execute();
        assertThat(timeline.getTotal()).isEqualTo(1);
        assertThat(((ImagingStudy) timeline.getEntryFirstRep().getResource()).getNumberOfSeries()).isEqualTo(4);
    }

    @Test
    @Order(3)
    void aRejectionNoteDeprecatesTheStudy() throws Exception {
        Path note = studies.rejectionNote(mrStudy, mrStudy.files());
        storescu(zdc.dicomPort(), "ORTHANC", "LOADER", List.of(note));

        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(kosOf(B, mrStudy.studyUid())).isNull());
        assertThat(find(B, List.of(AvailabilityStatus.DEPRECATED))).filteredOn(BridgePublishingIT::isKos).hasSize(1);
        assertThatThrownBy(() -> fhir().read().resource(ImagingStudy.class).withId(mrStudy.studyUid()).execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    @Order(4)
    void aStudyPushedToBeeldbrugsScpIsPublished() throws Exception {
        Study pushed = studies.study(Patient.bsnAsPatientId(E), "ACC-M-1");
        studies.series(pushed, "CT_small.dcm", "CT", "CHEST", 2);
        storescu(scpPort, "BEELDBRUG", "MODALITY1", pushed.files());

        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(kosOf(E, pushed.studyUid())).isNotNull());
        assertManifestListsExactly(E, pushed.studyUid(), sopUids(pushed.files()));
        ImagingStudy study = fhir().read().resource(ImagingStudy.class).withId(pushed.studyUid()).execute();
        assertThat(((Reference) study.getExtensionByUrl(FhirNaming.EXT_PERFORMER).getValue()).getReference()).contains("12000003");

        Peers.Result refused = Peers.runAllowingFailure(Peers.require("storescu", "dcmtk"), "-aet", "STRANGER", "-aec", "BEELDBRUG",
                "127.0.0.1", Integer.toString(scpPort), pushed.files().get(0).toString());
        assertThat(refused.exitCode()).as("an unknown calling AE is refused (0x0124)").isNotZero();
    }

    @Test
    @Order(5)
    void aStudyWithoutAValidBsnIsOnTheReviewListAndNotRegistered() throws Exception {
        Study bad = studies.study(Patient.bsnAsPatientId("999990018"), "ACC-BAD-1");
        studies.series(bad, "MR_small.dcm", "MR", "KNEE", 1);
        Study none = studies.study(new Patient("LOCAL-ONLY", "2.16.528.1.1007.3.3.34000011.2", null), "ACC-BAD-2");
        studies.series(none, "MR_small.dcm", "MR", "KNEE", 1);
        storescu(zdc.dicomPort(), "ORTHANC", "LOADER", List.of(bad.files().get(0), none.files().get(0)));

        HttpClient http = HttpClient.newHttpClient();
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/bridge/review?source=zdc"))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains(bad.studyUid(), "INVALID_BSN", none.studyUid(), "NO_BSN").doesNotContain("999990018");
        });
        assertThat(fhir().search().byUrl("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + bad.studyUid())
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------

    private IGenericClient fhir() {
        FhirContext ctx = FhirContext.forR4Cached();
        ctx.getRestfulClientFactory().setServerValidationMode(ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
        return ctx.newRestfulGenericClient("http://127.0.0.1:" + port + "/fhir");
    }

    private static boolean isKos(DocumentEntry e) {
        return e.getFormatCode() != null && "1.2.840.10008.5.1.4.1.1.88.59".equals(e.getFormatCode().getCode());
    }

    private List<DocumentEntry> find(String bsn, List<AvailabilityStatus> statuses) {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(PatientIds.of(Bsn.of(bsn)));
        query.setStatus(statuses);
        QueryResponse response = producer.requestBody("xds-iti18://127.0.0.1:" + port + "/services/registry/iti18?audit=false",
                new QueryRegistry(query, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(response.getStatus()).isEqualTo(Status.SUCCESS);
        return response.getDocumentEntries();
    }

    /** The study's Approved KOS found with ITI-18, or null. */
    private DocumentEntry kosOf(String bsn, String studyUid) {
        List<DocumentEntry> found = find(bsn, List.of(AvailabilityStatus.APPROVED)).stream().filter(BridgePublishingIT::isKos)
                .filter(e -> e.getReferenceIdList().stream().anyMatch(r -> studyUid.equals(r.getId()))).toList();
        assertThat(found).hasSizeLessThanOrEqualTo(1);
        return found.isEmpty() ? null : found.get(0);
    }

    private void assertManifestListsExactly(String bsn, String studyUid, Set<String> expected) throws Exception {
        DocumentEntry kos = kosOf(bsn, studyUid);
        RetrieveDocumentSet retrieve = new RetrieveDocumentSet();
        retrieve.getDocuments().add(new DocumentReference(kos.getRepositoryUniqueId(), kos.getUniqueId(), null));
        RetrievedDocumentSet retrieved = producer.requestBody("xds-iti43://127.0.0.1:" + port + "/services/repository/iti43?audit=false",
                retrieve, RetrievedDocumentSet.class);
        assertThat(retrieved.getStatus()).isEqualTo(Status.SUCCESS);
        Set<String> listed = new TreeSet<>();
        try (InputStream in = retrieved.getDocuments().get(0).getDataHandler().getInputStream()) {
            for (InstanceReference r : KosManifestParser.parse(DicomFile.read(in, tmp).dataset()).references()) {
                listed.add(r.sopInstanceUid());
                assertThat(r.retrieveAeTitle()).isEqualTo("BEELDBRUG");
            }
        }
        assertThat(listed).isEqualTo(expected);
    }

    /** The SOP Instance UIDs Orthanc holds for a study. */
    private static Set<String> orthancInstances(OrthancPeer orthanc, String studyUid) throws Exception {
        JsonNode found = orthanc.post("/tools/find", "{\"Level\":\"Instance\",\"Expand\":true,\"Query\":{\"StudyInstanceUID\":\""
                + studyUid + "\"}}");
        Set<String> uids = new TreeSet<>();
        found.forEach(i -> uids.add(i.get("MainDicomTags").get("SOPInstanceUID").asText()));
        return uids;
    }

    private static Set<String> sopUids(List<Path> files) throws Exception {
        Set<String> uids = new TreeSet<>();
        for (Path f : files) {
            uids.add(DicomFile.read(f).dataset().getString(nl.beeldbrug.adapters.dicom.dict.Tag.SOPInstanceUID));
        }
        return uids;
    }
}
