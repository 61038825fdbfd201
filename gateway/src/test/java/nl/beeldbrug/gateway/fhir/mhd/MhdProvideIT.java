package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.testing.FreshDatabase;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
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

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * MHD ITI-65 in-process over loopback: a Provide Document Bundle is stored by the same path as ITI-41
 * (it then appears in ITI-18, ITI-43, ITI-67, ITI-68 and ImagingStudy), every refusal is an
 * OperationOutcome with nothing stored, and everything else that writes stays 405. Hostile and
 * oversized bodies are refused before anything is parsed or expanded.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.http.max-request-size=512KB"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MhdProvideIT {

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-mhd65-postgres");
    }

    @LocalServerPort
    int port;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    AuditStore auditStore;

    private final SampleMetadata a = SampleMetadata.forPatient(SampleMetadata.BSN);
    private final FhirContext fhir = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newHttpClient();
    private IGenericClient client;

    private String fhirBase() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    private String xds(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port + "/services/" + path + "?audit=false";
    }

    @BeforeAll
    void setUp() {
        Database.inTransaction(dataSource, c -> patients.add(c, a.bsn()));
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhir.newRestfulGenericClient(fhirBase());
    }

    // ---------------------------------------------------------------- the bundle

    private Bundle provideBundle(String studyUid) {
        return MhdBundles.provideBundle(a, studyUid, fhirBase(), false);
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fhirBase() + path)).header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(Bundle bundle) throws Exception {
        return post("", "application/fhir+json", fhir.newJsonParser().encodeResourceToString(bundle));
    }

    private long rows() {
        return Database.read(dataSource, c -> {
            try (var s = c.createStatement();
                 ResultSet rs = s.executeQuery("select (select count(*) from registry_object) + (select count(*) from association)"
                         + " + (select count(*) from document_content)")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private List<DocumentEntry> findDocuments() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(a.patientId());
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse response = producer.requestBody(xds("xds-iti18", "registry/iti18"),
                new QueryRegistry(query, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(response.getStatus()).isEqualTo(Status.SUCCESS);
        return response.getDocumentEntries();
    }

    // ---------------------------------------------------------------- ITI-65

    @Test
    void providedBundleIsFoundByIti18RetrievedByIti43AndIti68AndShowsItsStudy() throws Exception {
        String studyUid = SampleMetadata.newUid();
        Bundle request = provideBundle(studyUid); // a valid Comprehensive ProvideBundle: see ProvideBundleTranslatorTest

        Bundle response = client.transaction().withBundle(request).execute();

        MhdValidation.assertValid(response, MhdNaming.PROVIDE_BUNDLE_RESPONSE);
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).hasSize(6).allSatisfy(e -> assertThat(e.getResponse().getStatus()).isEqualTo("201 Created"));
        List<String> locations = response.getEntry().stream().map(e -> e.getResponse().getLocation()).toList();
        assertThat(locations.get(0)).startsWith("List/");
        assertThat(locations.get(1)).startsWith("DocumentReference/");
        assertThat(locations.get(3)).startsWith("DocumentReference/");
        assertThat(locations.get(4)).startsWith("List/");
        assertThat(locations.get(5)).startsWith("Binary/");
        String kosId = locations.get(1).substring("DocumentReference/".length());
        String reportId = locations.get(3).substring("DocumentReference/".length());

        // ITI-18 finds both, ITI-43 returns the KOS bytes
        List<DocumentEntry> found = findDocuments();
        assertThat(found).extracting(DocumentEntry::getEntryUuid).contains("urn:uuid:" + kosId, "urn:uuid:" + reportId);
        DocumentEntry kos = found.stream().filter(e -> e.getEntryUuid().equals("urn:uuid:" + kosId)).findFirst().orElseThrow();
        assertThat(locations.get(2)).isEqualTo("Binary/" + kos.getUniqueId());
        byte[] kosBytes = ((Binary) request.getEntry().get(2).getResource()).getData();
        RetrieveDocumentSet retrieve = new RetrieveDocumentSet();
        retrieve.getDocuments().add(new org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference(
                SampleMetadata.REPOSITORY_UNIQUE_ID, kos.getUniqueId(), null));
        RetrievedDocumentSet retrieved = producer.requestBody(xds("xds-iti43", "repository/iti43"), retrieve, RetrievedDocumentSet.class);
        assertThat(retrieved.getDocuments().get(0).getDataHandler().getInputStream().readAllBytes()).isEqualTo(kosBytes);
        assertThat(kos.getReferenceIdList()).contains(new ReferenceId(studyUid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));

        // ITI-67 → ITI-68
        DocumentReference read = client.read().resource(DocumentReference.class).withId(kosId).execute();
        MhdValidation.assertValid(read, MhdNaming.COMPREHENSIVE_DOCUMENT_REFERENCE);
        assertThat(read.getContext().getRelated()).extracting(Reference::getReference).contains("ImagingStudy/" + studyUid);
        HttpResponse<byte[]> bytes = http.send(HttpRequest.newBuilder(URI.create(read.getContentFirstRep().getAttachment().getUrl()))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).isEqualTo(kosBytes);
        Bundle search = client.search().byUrl("DocumentReference?patient=" + a.bsn().value() + "&related=ImagingStudy/" + studyUid)
                .returnBundle(Bundle.class).execute();
        assertThat(search.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart()).containsExactlyInAnyOrder(kosId, reportId);

        // the folder holds the report; the study is in the imaging study index
        ListResource folder = client.read().resource(ListResource.class).withId(locations.get(4).substring("List/".length())).execute();
        assertThat(folder.getEntry()).extracting(e -> e.getItem().getReference()).containsExactly("DocumentReference/" + reportId);
        ImagingStudy study = client.read().resource(ImagingStudy.class).withId(studyUid).execute();
        assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);

        await().untilAsserted(() -> assertThat(auditStore.forPatient(a.bsn().value()))
                .anySatisfy(r -> {
                    assertThat(r.eventType()).isEqualTo("ITI-65");
                    assertThat(r.eventId()).isEqualTo("110107");
                    assertThat(r.outcome()).isEqualTo("Success");
                }));
    }

    @Test
    void sameBundleTwiceIsAnsweredAlikeAndStoresNothingNew() throws Exception {
        Bundle request = MhdBundles.provideBundle(a, SampleMetadata.newUid(), fhirBase(), true); // report as attachment.data
        assertThat(post(request).statusCode()).isEqualTo(200);
        long before = rows();
        HttpResponse<String> again = post(request);
        assertThat(again.statusCode()).as(again.body()).isIn(200, 422);
        assertThat(rows()).isEqualTo(before);
    }

    private void assertRefused(Consumer<Bundle> spoil, int status, String... messages) throws Exception {
        Bundle bundle = provideBundle(SampleMetadata.newUid());
        spoil.accept(bundle);
        long before = rows();
        HttpResponse<String> response = post(bundle);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        OperationOutcome outcome = fhir.newJsonParser().parseResource(OperationOutcome.class, response.body());
        String text = fhir.newJsonParser().encodeResourceToString(outcome);
        for (String message : messages) {
            assertThat(text).contains(message);
        }
        assertThat(rows()).as("rows stored by a refused ITI-65").isEqualTo(before);
    }

    private static DocumentReference doc(Bundle bundle, int index) {
        return (DocumentReference) bundle.getEntry().get(index).getResource();
    }

    @Test
    void everyRefusalIsAnOperationOutcomeAndStoresNothing() throws Exception {
        assertRefused(b -> doc(b, 3).setSubject(new Reference("Patient/123456789")), 400, "DocumentReference.subject: not a valid BSN");
        assertRefused(b -> {
            b.getEntry().forEach(e -> {
                if (e.getResource() instanceof DocumentReference d) {
                    d.setSubject(new Reference("Patient/" + SampleMetadata.THIRD_BSN.value()));
                } else if (e.getResource() instanceof ListResource l) {
                    l.setSubject(new Reference("Patient/" + SampleMetadata.THIRD_BSN.value()));
                }
            });
        }, 422, "XDSUnknownPatientId");
        assertRefused(b -> doc(b, 3).setSubject(new Reference("Patient/" + SampleMetadata.THIRD_BSN.value())), 422,
                "XDSPatientIdDoesNotMatch");
        assertRefused(b -> b.getEntry().remove(0), 400, "SubmissionSet");
        assertRefused(b -> doc(b, 1).getContentFirstRep().getAttachment().setUrl("urn:uuid:10000000-0000-4000-8000-00000000dead"), 400,
                "resolves to no Binary");
        assertRefused(b -> ((ListResource) b.getEntry().get(0).getResource()).addEntry().setItem(new Reference("urn:uuid:nothing")), 400,
                "SubmissionSet List.entry.item");
        assertRefused(b -> doc(b, 1).getContentFirstRep().getAttachment().setHash(new byte[20]), 422, "XDSRepositoryMetadataError", "hash");
        assertRefused(b -> doc(b, 3).getContentFirstRep().getAttachment().setSize(1), 422, "XDSRepositoryMetadataError", "size");
        // metadata the ITI-41 validator refuses (no classCode), in the second document: the first is not stored either
        assertRefused(b -> doc(b, 3).getCategory().clear(), 422, "XDS");
        assertRefused(b -> b.getEntry().get(0).getRequest().setMethod(Bundle.HTTPVerb.PUT), 405, "POST");
        assertRefused(b -> b.setType(Bundle.BundleType.BATCH), 405, "transaction");
    }

    @Test
    void sameUniqueIdWithOtherContentIsRefused() throws Exception {
        Bundle first = provideBundle(SampleMetadata.newUid());
        assertThat(post(first).statusCode()).isEqualTo(200);
        Bundle second = provideBundle(SampleMetadata.newUid());
        doc(second, 1).setMasterIdentifier(doc(first, 1).getMasterIdentifier());
        long before = rows();
        HttpResponse<String> response = post(second);
        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("XDSNonIdenticalHash");
        assertThat(rows()).isEqualTo(before);
        await().untilAsserted(() -> assertThat(auditStore.latest(20))
                .anySatisfy(r -> {
                    assertThat(r.eventType()).isEqualTo("ITI-65");
                    assertThat(r.outcome()).isEqualTo("MinorFailure");
                    assertThat(r.patientIds()).isNotEmpty();
                }));
    }

    // ---------------------------------------------------------------- interactions and hostile input

    @Test
    void everyOtherWriteIs405AndPostSearchStillWorks() throws Exception {
        String doc = "{\"resourceType\":\"DocumentReference\",\"status\":\"current\"}";
        assertThat(post("/DocumentReference", "application/fhir+json", doc).statusCode()).isEqualTo(405);
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/DocumentReference/x"))
                .header("Content-Type", "application/fhir+json").PUT(HttpRequest.BodyPublishers.ofString(doc)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.body()).contains("OperationOutcome");
        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/List/x")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        HttpResponse<String> search = post("/DocumentReference/_search", "application/x-www-form-urlencoded",
                "patient=" + a.bsn().value());
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(search.body()).contains("\"searchset\"");
        assertThat(post("", "application/fhir+json", doc).statusCode()).isIn(400, 405);
    }

    @Test
    void hostileXmlIsRefusedWithoutExpansion() throws Exception {
        Path secret = Files.createTempFile(Path.of("target"), "secret", ".txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String external = "<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><id value=\"&x;\"/></Bundle>";
        HttpResponse<String> response = post("", "application/fhir+xml", external);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("OperationOutcome").doesNotContain("TOP-SECRET-CONTENT");

        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE Bundle [<!ENTITY l0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]><Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><id value=\"&l9;\"/></Bundle>");
        HttpResponse<String> bomb = post("", "application/fhir+xml", laughs.toString());
        assertThat(bomb.statusCode()).isEqualTo(400);
        assertThat(bomb.body()).contains("OperationOutcome").doesNotContain("lollollol");

        HttpResponse<String> json = post("", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(json.body()).contains("OperationOutcome");
    }

    @Test
    void oversizedBodyIs413() throws Exception {
        String big = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"id\":\"" + "x".repeat(600 * 1024) + "\"}";
        HttpResponse<String> response = post("", "application/fhir+json", big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("OperationOutcome");
        // chunked (no Content-Length): refused while reading
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(fhirBase()))
                .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.body()).contains("OperationOutcome");
    }

    @Test
    void capabilityStatementAnnouncesTheTransaction() {
        CapabilityStatement capability = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capability.getRestFirstRep().getInteraction()).extracting(i -> i.getCode().toCode()).contains("transaction");
        assertThat(capability.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("DocumentReference"))
                .singleElement().satisfies(r -> assertThat(r.getInteraction()).extracting(i -> i.getCode().toCode())
                        .containsExactlyInAnyOrder("read", "search-type"));
    }
}
