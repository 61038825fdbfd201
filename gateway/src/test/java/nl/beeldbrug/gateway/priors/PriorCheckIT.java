package nl.beeldbrug.gateway.priors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.gateway.fhir.R4Validation;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static nl.beeldbrug.registry.testing.SampleMetadata.time;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The prior check over the wire (issue 5): {@code ImagingStudy/$prior-check} with the HAPI client and the CDS Hooks
 * services with JSON shaped like a real EHR's calls (with and without prefetch), over studies registered through
 * ITI-41. Responses are validated: FHIR against base R4, CDS Hooks against the specification's JSON schema.
 * A study denied by consent never shows, not even as a changed verdict.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.fhir.wado-base-url=https://beeldbrug.example/dicomweb",
        "beeldbrug.cds.fhir-base-url=https://beeldbrug.example/fhir"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PriorCheckIT {

    static final ZonedDateTime PLANNED = ZonedDateTime.of(2024, 2, 20, 9, 0, 0, 0, ZoneOffset.UTC);

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-priors-postgres");
        // the EHR's FHIR server of the no-prefetch case is this gateway's own /fhir (Patient/<bsn>)
        registry.add("beeldbrug.cds.allowed-fhir-servers[0]", () -> "http://127.0.0.1:");
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
    ConsentStore consents;
    @Autowired
    AuditStore audit;
    @Autowired
    MeterRegistry meters;

    private final SampleMetadata a = SampleMetadata.forPatient(SampleMetadata.BSN);
    /** B and C hold the same studies, except that B has one more CT thorax, which B's consent denies. */
    private final SampleMetadata b = SampleMetadata.forPatient(SampleMetadata.OTHER_BSN);
    private final SampleMetadata c = SampleMetadata.forPatient(SampleMetadata.THIRD_BSN);
    private String ctThorax;
    private String xThorax;
    private String mriKnee;
    private String mriBrain;
    private IGenericClient client;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void registerStudies() {
        Database.inTransaction(dataSource, t -> patients.add(t, a.bsn()) && patients.add(t, b.bsn()) && patients.add(t, c.bsn()));
        ctThorax = register(a, "CT thorax", "CT", "51185008", 20, true);
        xThorax = register(a, "X-thorax", "CR", "51185008", 10, false);
        mriKnee = register(a, "MRI knie links", "MR", "72696002", 400, true);
        mriBrain = register(a, "MRI hersenen", "MR", "69536005", 30, false);
        for (SampleMetadata patient : List.of(b, c)) {
            register(patient, "X-thorax", "CR", "51185008", 12, false);
        }
        String denied = register(b, "CT thorax", "CT", "51185008", 5, true);
        consents.create(new ConsentRecord(ConsentStore.newId(), b.bsn(), ConsentStatus.ACTIVE, Instant.now(),
                List.of(Provision.deny().studies(denied).build())));
        FhirContext context = FhirContext.forR4Cached();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = context.newRestfulGenericClient(fhirBase());
    }

    private String fhirBase() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    private String register(SampleMetadata patient, String title, String modality, String bodySite, int daysBefore, boolean report) {
        String uid = SampleMetadata.newUid();
        List<DocumentEntry> entries = new ArrayList<>();
        entries.add(study(patient.kos(uid), uid, title, modality, bodySite, daysBefore));
        if (report) {
            entries.add(study(patient.report(uid), uid, "Verslag " + title, modality, bodySite, daysBefore));
        }
        ProvideAndRegisterDocumentSet request = patient.provideAndRegister(patient.submissionSet(), entries.toArray(DocumentEntry[]::new));
        Response response = producer.requestBody("xds-iti41://127.0.0.1:" + port + "/services/repository/iti41?audit=false",
                request, Response.class);
        assertThat(response.getStatus()).as("ITI-41 %s", response.getErrors()).isEqualTo(Status.SUCCESS);
        return uid;
    }

    private static DocumentEntry study(DocumentEntry entry, String uid, String title, String modality, String bodySite, int daysBefore) {
        entry.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        entry.getReferenceIdList().add(0, new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.setServiceStartTime(time(PLANNED.minusDays(daysBefore)));
        entry.setTitle(new LocalizedString(title, "nl-NL", "UTF-8"));
        entry.getEventCodeList().clear();
        entry.getEventCodeList().add(new Code(modality, new LocalizedString(modality), SampleMetadata.DCM));
        entry.getEventCodeList().add(new Code(bodySite, new LocalizedString(bodySite), SampleMetadata.SNOMED));
        return entry;
    }

    private Bundle priorCheck(Bsn bsn, String query) {
        Bundle bundle = client.search().byUrl(fhirBase() + "/ImagingStudy/$prior-check?patient=" + bsn.value() + "&date=2024-02-20&" + query.replace(" ", "%20"))
                .returnBundle(Bundle.class).execute();
        R4Validation.assertValid(bundle);
        return bundle;
    }

    private static List<String> ranked(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getResource() instanceof ImagingStudy)
                .map(e -> e.getResource().getIdElement().getIdPart() + "/" + category((ImagingStudy) e.getResource())).toList();
    }

    private static String category(ImagingStudy study) {
        Extension relevance = study.getExtensionByUrl(PriorCheckOperation.EXT_RELEVANCE);
        return relevance.getExtensionByUrl("category").getValue().primitiveValue();
    }

    private static String verdict(Bundle bundle) {
        return bundle.getEntry().stream().filter(e -> e.getResource() instanceof OperationOutcome)
                .map(e -> ((OperationOutcome) e.getResource()).getIssueFirstRep().getDetails().getCodingFirstRep().getCode())
                .findFirst().orElseThrow();
    }

    @Test
    void aPlannedCtThoraxByLoincFindsTheRecentCtAsDuplicateThenTheChestRadiographThenTheRest() {
        Bundle bundle = priorCheck(a.bsn(), "code=http://loinc.org|24627-2");
        assertThat(verdict(bundle)).isEqualTo("duplicate");
        assertThat(ranked(bundle)).containsExactly(ctThorax + "/duplicate", xThorax + "/same-region", mriBrain + "/other",
                mriKnee + "/other");
        ImagingStudy first = (ImagingStudy) bundle.getEntryFirstRep().getResource();
        assertThat(first.getExtensionByUrl(PriorCheckOperation.EXT_RELEVANCE).getExtensionByUrl("reason").getValue().primitiveValue())
                .contains("CT window of 90 days");
        assertThat(bundle.getEntryFirstRep().getSearch().getScore().doubleValue()).isEqualTo(1.0);
    }

    @Test
    void dutchOrderTextAndLateralityWork() {
        Bundle knee = priorCheck(a.bsn(), "text=MRI knie&laterality=left");
        assertThat(verdict(knee)).as("the knee MRI is 400 days old: outside the 90-day window").isEqualTo("no-duplicate");
        assertThat(ranked(knee).get(0)).isEqualTo(mriKnee + "/same-region");
        Bundle right = priorCheck(a.bsn(), "modality=MR&bodysite=72696002&laterality=right");
        assertThat(ranked(right).get(0)).isEqualTo(mriKnee + "/same-region"); // the other side: relevant, never a duplicate
        Bundle ultrasound = priorCheck(a.bsn(), "text=echo bovenbuik");
        assertThat(verdict(ultrasound)).isEqualTo("no-duplicate");
        assertThat(ranked(ultrasound)).as("bordering regions, newest first").startsWith(xThorax + "/related-region",
                ctThorax + "/related-region");
    }

    @Test
    void aStudyDeniedByConsentIsAbsentAndChangesNoVerdict() {
        Bundle denied = priorCheck(b.bsn(), "code=http://loinc.org|24627-2");
        Bundle absent = priorCheck(c.bsn(), "code=http://loinc.org|24627-2");
        assertThat(verdict(denied)).isEqualTo("no-duplicate").isEqualTo(verdict(absent));
        assertThat(denied.getTotal()).isEqualTo(absent.getTotal()).isEqualTo(1);
        assertThat(ranked(denied)).hasSize(1).allMatch(r -> r.endsWith("/same-region"));
    }

    @Test
    void badRequestsGet400() throws Exception {
        for (String query : List.of("patient=123&text=CT thorax", "patient=" + a.bsn().value(),
                "patient=" + a.bsn().value() + "&text=CT&laterality=up")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/ImagingStudy/$prior-check?"
                    + query.replace(" ", "%20"))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).contains("OperationOutcome");
        }
    }

    // ---------------------------------------------------------------- CDS Hooks

    private JsonSchema schema(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/cds/" + name)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    private JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body().isEmpty() ? null : json.readTree(response.body());
    }

    private String orderSign(Bsn bsn, boolean prefetch, String loinc, String display) {
        String patient = "{\"resourceType\":\"Patient\",\"id\":\"pat-1\",\"identifier\":[{\"system\":\"http://fhir.nl/fhir/NamingSystem/bsn\",\"value\":\""
                + bsn.value() + "\"}]}";
        String order = "{\"resourceType\":\"ServiceRequest\",\"id\":\"draft-1\",\"status\":\"draft\",\"intent\":\"order\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + loinc + "\",\"display\":\"" + display + "\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + (prefetch ? "pat-1" : bsn.value()) + "\"},"
                + "\"occurrenceDateTime\":\"2024-02-20\"}";
        return "{\"hookInstance\":\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\",\"hook\":\"order-sign\","
                + "\"fhirServer\":\"" + fhirBase() + "\","
                + "\"context\":{\"userId\":\"Practitioner/123\",\"patientId\":\"" + (prefetch ? "pat-1" : bsn.value()) + "\","
                + "\"draftOrders\":{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":" + order + "}]}}"
                + (prefetch ? ",\"prefetch\":{\"patient\":" + patient + "}" : "") + "}";
    }

    @Test
    void discoveryListsBothHooksAndValidates() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cds-services")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode discovery = json.readTree(response.body());
        assertThat(schema("cds-hooks-1.1-discovery.schema.json").validate(discovery)).isEmpty();
        assertThat(discovery.path("services").findValuesAsText("hook")).containsExactly("order-select", "order-sign");
    }

    @Test
    void orderSignWithPrefetchWarnsOfTheDuplicateWithLinksAndACancelSuggestionAndListsRelevantPriors() throws Exception {
        double cancelledBefore = meters.counter("beeldbrug.cds.orders.cancelled").count();
        JsonNode answer = post("/cds-services/beeldbrug-prior-check-sign", orderSign(a.bsn(), true, "24627-2", "CT Chest"), 200);
        Set<ValidationMessage> problems = schema("cds-hooks-1.1-response.schema.json").validate(answer);
        assertThat(problems).as(answer.toPrettyString()).isEmpty();
        JsonNode warning = answer.path("cards").get(0);
        assertThat(warning.path("indicator").asText()).isEqualTo("warning");
        assertThat(warning.path("summary").asText()).startsWith("Likely duplicate: CT thorax 20 days ago");
        assertThat(warning.path("links").findValuesAsText("url")).contains("https://beeldbrug.example/dicomweb/studies/" + ctThorax)
                .anyMatch(url -> url.startsWith("https://beeldbrug.example/fhir/Binary/"));
        JsonNode cancel = warning.path("suggestions").get(0);
        assertThat(cancel.path("actions").get(0).path("type").asText()).isEqualTo("delete");
        assertThat(cancel.path("actions").get(0).path("resource").asText()).isEqualTo("ServiceRequest/draft-1");
        JsonNode info = answer.path("cards").get(1);
        assertThat(info.path("indicator").asText()).isEqualTo("info");
        assertThat(info.path("detail").asText()).contains("X-thorax");
        // the clinician accepts the cancel suggestion: counted as an order cancelled after a card
        post("/cds-services/beeldbrug-prior-check-sign/feedback", "{\"feedback\":[{\"card\":\"" + warning.path("uuid").asText()
                + "\",\"outcome\":\"accepted\",\"acceptedSuggestions\":[{\"id\":\"" + cancel.path("uuid").asText()
                + "\"}],\"outcomeTimestamp\":\"2026-11-29T10:00:00Z\"}]}", 200);
        assertThat(meters.counter("beeldbrug.cds.orders.cancelled").count()).isEqualTo(cancelledBefore + 1);
    }

    @Test
    void orderSignWithoutPrefetchReadsThePatientFromTheEhrFhirServer() throws Exception {
        JsonNode answer = post("/cds-services/beeldbrug-prior-check-sign", orderSign(a.bsn(), false, "24627-2", "CT Chest"), 200);
        assertThat(schema("cds-hooks-1.1-response.schema.json").validate(answer)).isEmpty();
        assertThat(answer.path("cards").get(0).path("indicator").asText()).isEqualTo("warning");
    }

    @Test
    void aDeniedDuplicateGivesNoWarningCard() throws Exception {
        JsonNode denied = post("/cds-services/beeldbrug-prior-check-sign", orderSign(b.bsn(), true, "24627-2", "CT Chest"), 200);
        JsonNode absent = post("/cds-services/beeldbrug-prior-check-sign", orderSign(c.bsn(), true, "24627-2", "CT Chest"), 200);
        assertThat(denied.path("cards").findValuesAsText("indicator")).containsExactly("info")
                .isEqualTo(absent.path("cards").findValuesAsText("indicator"));
        assertThat(denied.path("cards").get(0).path("summary")).isEqualTo(absent.path("cards").get(0).path("summary"));
    }

    @Test
    void badCallsGetClearErrors() throws Exception {
        assertThat(post("/cds-services/beeldbrug-prior-check-sign", "{not json", 400).path("error").asText()).contains("JSON");
        assertThat(post("/cds-services/beeldbrug-prior-check-sign", "{\"hook\":\"patient-view\",\"hookInstance\":\"x\",\"context\":{}}", 400)
                .path("error").asText()).contains("order-sign");
        assertThat(post("/cds-services/nope", "{}", 404).path("error").asText()).contains("nope");
        assertThat(post("/cds-services/beeldbrug-prior-check-sign",
                "{\"hook\":\"order-sign\",\"hookInstance\":\"x\",\"context\":{\"draftOrders\":{\"resourceType\":\"Bundle\",\"type\":\"nonsense\"}}}",
                400).path("error").asText()).contains("draftOrders");
    }

    @Test
    void everyCallIsAudited() throws Exception {
        long before = audit.forPatient(a.bsn().value()).size();
        post("/cds-services/beeldbrug-prior-check-select", orderSign(a.bsn(), true, "24627-2", "CT Chest")
                .replace("order-sign", "order-select").replace("\"context\":{", "\"context\":{\"selections\":[\"ServiceRequest/draft-1\"],"), 200);
        assertThat(audit.forPatient(a.bsn().value())).hasSize((int) before + 1);
    }

}
