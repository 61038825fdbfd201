package nl.beeldbrug.gateway.fhir;

import nl.beeldbrug.gateway.testing.FreshDatabase;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.gateway.imaging.KosManifestContentReaderTest;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static nl.beeldbrug.registry.testing.SampleMetadata.STUDY_START;
import static nl.beeldbrug.registry.testing.SampleMetadata.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The FHIR face in-process over loopback: studies registered through ITI-41 (IPF producer) are read
 * back with the HAPI generic client, and agree with what ITI-18 FindDocuments answers. Every resource
 * the server returns is validated against base R4.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.fhir.wado-base-url=https://beeldbrug.example/dicomweb",
        "beeldbrug.fhir.max-page-size=50"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(OutputCaptureExtension.class)
class FhirGatewayIT {

    private static final int STUDIES = 23; // with a report-only study: 24 for patient A, three pages of 10

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-fhir-postgres");
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
    private final SampleMetadata b = SampleMetadata.forPatient(SampleMetadata.OTHER_BSN);
    /** Patient C: studies with real KOS manifests (series and instance counts). */
    private final SampleMetadata c = SampleMetadata.forPatient(SampleMetadata.THIRD_BSN);
    private String countedStudy;
    private final List<String> newestFirst = new ArrayList<>();
    private String twiinStudy;
    private String reportOnlyStudy;
    private String accession;
    private IGenericClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    private String fhirBase() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    private String xds(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port + "/services/" + path + "?audit=false";
    }

    @BeforeAll
    void registerStudies() {
        Database.inTransaction(dataSource, t -> patients.add(t, a.bsn()) && patients.add(t, b.bsn()) && patients.add(t, c.bsn()));
        List<DocumentEntry> batch = new ArrayList<>();
        for (int i = 0; i < STUDIES; i++) {
            String uid = SampleMetadata.newUid();
            newestFirst.add(uid);
            DocumentEntry kos = study(a.kos(uid), uid, i);
            if (i % 3 == 0) {
                kos.getEventCodeList().clear();
                kos.getEventCodeList().add(SampleMetadata.MODALITY_MR);
                kos.getEventCodeList().add(SampleMetadata.REGION_HEAD);
            }
            batch.add(kos);
            if (i % 2 == 0) {
                batch.add(study(a.report(uid), uid, i));
            }
            if (batch.size() >= 8) {
                provide(a, batch);
            }
        }
        provide(a, batch);
        twiinStudy = newestFirst.get(0);
        accession = "ACC" + Math.abs(twiinStudy.hashCode() % 1000000); // SampleMetadata.kos's accession number
        // a second manifest and a second report of the newest study: still one study
        provide(a, List.of(study(a.kos(twiinStudy), twiinStudy, 0), study(a.report(twiinStudy), twiinStudy, 0)));
        reportOnlyStudy = SampleMetadata.newUid();
        provide(a, List.of(study(a.report(reportOnlyStudy), reportOnlyStudy, 200)));
        newestFirst.add(reportOnlyStudy);
        for (int i = 0; i < 2; i++) {
            String uid = SampleMetadata.newUid();
            provide(b, List.of(study(b.kos(uid), uid, i)));
        }
        countedStudy = SampleMetadata.newUid();
        provideKos(c, study(c.kos(countedStudy), countedStudy, 1), KosManifestContentReaderTest.manifest(countedStudy, 3, 1));
        FhirContext context = FhirContext.forR4Cached();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = context.newRestfulGenericClient(fhirBase());
    }

    /** XDS-I.b names the study with the 2016 studyInstanceUID type; the sample uses the 2013 uniqueId type. */
    private static DocumentEntry study(DocumentEntry entry, String uid, int daysAgo) {
        entry.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        entry.getReferenceIdList().add(0, new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.setServiceStartTime(time(STUDY_START.minusDays(3L * daysAgo)));
        return entry;
    }

    private void provide(SampleMetadata sample, List<DocumentEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), entries.toArray(DocumentEntry[]::new));
        Response response = producer.requestBody(xds("xds-iti41", "repository/iti41"), request, Response.class);
        assertThat(response.getStatus()).as("ITI-41 %s", response.getErrors()).isEqualTo(Status.SUCCESS);
        if (entries instanceof ArrayList<DocumentEntry> list) {
            list.clear();
        }
    }

    /** ITI-41 of a manifest with real KOS bytes (DICOM Part 10). */
    private void provideKos(SampleMetadata sample, DocumentEntry kos, byte[] bytes) {
        ProvideAndRegisterDocumentSet request = sample.provideAndRegister(sample.submissionSet(), kos);
        request.getDocuments().get(0).setDataHandler(SampleMetadata.dataHandler(bytes, "application/dicom"));
        Response response = producer.requestBody(xds("xds-iti41", "repository/iti41"), request, Response.class);
        assertThat(response.getStatus()).as("ITI-41 %s", response.getErrors()).isEqualTo(Status.SUCCESS);
    }

    // ---------------------------------------------------------------- searches

    private List<ImagingStudy> all(String query) {
        Bundle bundle = client.search().byUrl("ImagingStudy?" + query).returnBundle(Bundle.class).execute();
        List<ImagingStudy> result = new ArrayList<>();
        while (true) {
            R4Validation.assertValid(bundle);
            bundle.getEntry().forEach(e -> result.add((ImagingStudy) e.getResource()));
            if (bundle.getLink(Bundle.LINK_NEXT) == null) {
                return result;
            }
            bundle = client.loadPage().next(bundle).execute();
        }
    }

    private List<String> ids(String query) {
        return all(query).stream().map(s -> s.getIdElement().getIdPart()).toList();
    }

    @Test
    void allStudiesOfAPatientOnceNewestFirstOverThreePages() {
        Bundle first = client.search().byUrl("ImagingStudy?patient=Patient/" + a.bsn().value() + "&_count=10")
                .returnBundle(Bundle.class).execute();
        assertThat(first.getTotal()).isEqualTo(STUDIES + 1);
        assertThat(first.getEntry()).hasSize(10);
        assertThat(first.getLink(Bundle.LINK_NEXT).getUrl()).contains("_offset=10");

        List<ImagingStudy> studies = all("patient=Patient/" + a.bsn().value() + "&_count=10&_sort=-started");

        assertThat(studies).extracting(s -> s.getIdElement().getIdPart()).containsExactlyElementsOf(newestFirst);
        studies.forEach(R4Validation::assertValid);
        ImagingStudy twiin = studies.get(0);
        assertThat(twiin.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        assertThat(twiin.getEndpointFirstRep().getReference()).isEqualTo("Endpoint/wado-rs");
        assertThat(twiin.getSubject().getReference()).isEqualTo("Patient/" + a.bsn().value());
        assertThat(studies.get(studies.size() - 1).getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.REGISTERED);
        // the same with the BSN as identifier, in each form
        assertThat(ids("patient=" + FhirNaming.BSN + "|" + a.bsn().value() + "&_count=50")).containsExactlyElementsOf(newestFirst);
        assertThat(ids("patient:identifier=" + FhirNaming.BSN + "|" + a.bsn().value())).containsExactlyElementsOf(newestFirst);
        assertThat(ids("patient.identifier=" + FhirNaming.BSN + "|" + a.bsn().value())).containsExactlyElementsOf(newestFirst);
        assertThat(ids("patient=" + b.bsn().value())).hasSize(2).doesNotContainAnyElementsOf(newestFirst);
    }

    @Test
    void searchByEachParameter() {
        String patient = "patient=Patient/" + a.bsn().value();
        List<String> mr = new ArrayList<>();
        for (int i = 0; i < STUDIES; i += 3) {
            mr.add(newestFirst.get(i));
        }
        assertThat(ids(patient + "&modality=" + FhirNaming.DCM + "|MR")).containsExactlyElementsOf(mr);
        assertThat(ids(patient + "&modality=MR,CT")).containsExactlyElementsOf(newestFirst);
        assertThat(ids(patient + "&bodysite=" + FhirNaming.SNOMED + "|69536005")).containsExactlyElementsOf(mr);
        // the newest study's second manifest is a CT of the chest: the study has both body sites
        assertThat(ids(patient + "&bodysite=51185008")).hasSize(STUDIES - mr.size() + 1).startsWith(twiinStudy)
                .doesNotContainAnyElementsOf(mr.subList(1, mr.size()));
        String thirtyDaysBefore = STUDY_START.minusDays(30).format(DateTimeFormatter.ISO_LOCAL_DATE);
        assertThat(ids(patient + "&started=ge" + thirtyDaysBefore)).containsExactlyElementsOf(newestFirst.subList(0, 11));
        assertThat(ids(patient + "&started=lt" + thirtyDaysBefore)).containsExactlyElementsOf(newestFirst.subList(11, newestFirst.size()));
        assertThat(ids(patient + "&started=ge" + thirtyDaysBefore + "&started=le" + STUDY_START.minusDays(15).format(DateTimeFormatter.ISO_LOCAL_DATE)))
                .containsExactlyElementsOf(newestFirst.subList(5, 11));
        assertThat(ids(patient + "&status=registered")).containsExactly(reportOnlyStudy);
        assertThat(ids(patient + "&status=available")).hasSize(STUDIES);
        assertThat(ids(patient + "&status=cancelled")).isEmpty();
        assertThat(ids("identifier=" + FhirNaming.DICOM_UID + "|urn:oid:" + twiinStudy)).containsExactly(twiinStudy);
        assertThat(ids("identifier=" + accession)).containsExactly(twiinStudy);
        assertThat(ids("identifier=urn:oid:2.16.528.1.1007.99.217.4|" + accession)).containsExactly(twiinStudy);
        assertThat(ids(patient + "&identifier=urn:oid:1.2.3|" + accession)).isEmpty();
    }

    @Test
    void readsAndTheirReferencesResolve() {
        ImagingStudy study = client.read().resource(ImagingStudy.class).withId(twiinStudy).execute();
        assertThat(study.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + twiinStudy);
        R4Validation.assertValid(study);

        Patient patient = client.read().resource(Patient.class).withId(a.bsn().value()).execute();
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo(a.bsn().value());
        R4Validation.assertValid(patient);
        Bundle patients = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(FhirNaming.BSN, a.bsn().value())).returnBundle(Bundle.class).execute();
        assertThat(patients.getEntry()).hasSize(1);
        R4Validation.assertValid(patients);

        String performer = study.getExtensionByUrl(FhirNaming.EXT_PERFORMER).getValue().castToReference(
                study.getExtensionByUrl(FhirNaming.EXT_PERFORMER).getValue()).getReference();
        Organization organization = client.read().resource(Organization.class).withUrl(performer).execute();
        assertThat(organization.getName()).isEqualTo("Ziekenhuis Beeldbrug");
        R4Validation.assertValid(organization);
        Bundle organizations = client.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(FhirNaming.URA, "00001234")).returnBundle(Bundle.class).execute();
        assertThat(organizations.getEntry()).hasSize(1);
        R4Validation.assertValid(organizations);

        Endpoint endpoint = client.read().resource(Endpoint.class).withUrl(study.getEndpointFirstRep().getReference()).execute();
        assertThat(endpoint.getAddress()).isEqualTo("https://beeldbrug.example/dicomweb");
        assertThat(endpoint.getConnectionType().getCode()).isEqualTo("dicom-wado-rs");
        R4Validation.assertValid(endpoint);
    }

    @Test
    void seriesAndInstancesFromTheKosWhenKnown() {
        ImagingStudy counted = client.read().resource(ImagingStudy.class).withId(countedStudy).execute();
        assertThat(counted.getNumberOfSeries()).isEqualTo(2);
        assertThat(counted.getNumberOfInstances()).isEqualTo(4);
        R4Validation.assertValid(counted);
        // the sample manifests' bytes are not DICOM: unknown, so absent (not zero)
        ImagingStudy unknown = client.read().resource(ImagingStudy.class).withId(twiinStudy).execute();
        assertThat(unknown.hasNumberOfSeries()).isFalse();
        assertThat(unknown.hasNumberOfInstances()).isFalse();
    }

    /** Twiin: one study once, and the same studies through ITI-18 as through FHIR. */
    @Test
    void fhirAndIti18AgreeOnTheStudies() {
        for (SampleMetadata patient : List.of(a, b)) {
            FindDocumentsQuery find = new FindDocumentsQuery();
            find.setPatientId(patient.patientId());
            find.setStatus(List.of(AvailabilityStatus.APPROVED));
            QueryResponse found = producer.requestBody(xds("xds-iti18", "registry/iti18"),
                    new QueryRegistry(find, QueryReturnType.LEAF_CLASS), QueryResponse.class);
            assertThat(found.getStatus()).isEqualTo(Status.SUCCESS);
            Set<String> viaXds = found.getDocumentEntries().stream()
                    .flatMap(d -> d.getReferenceIdList().stream())
                    .filter(r -> ReferenceId.ID_TYPE_STUDY_INSTANCE_ID.equals(r.getIdTypeCode()))
                    .map(ReferenceId::getId)
                    .collect(Collectors.toCollection(TreeSet::new));

            List<String> viaFhir = ids("patient=" + patient.bsn().value() + "&_count=7");

            assertThat(new LinkedHashSet<>(viaFhir)).hasSameSizeAs(viaFhir); // each study once
            assertThat(new TreeSet<>(viaFhir)).isEqualTo(viaXds);
        }
    }

    // ---------------------------------------------------------------- errors

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/" + path.replace("|", "%7C"))).header("Accept", "application/fhir+json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private OperationOutcome outcome(HttpResponse<String> response) {
        OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class, response.body());
        R4Validation.assertValid(outcome);
        return outcome;
    }

    @Test
    void errors(CapturedOutput output) throws Exception {
        assertThatThrownBy(() -> client.read().resource(ImagingStudy.class).withId("1.2.3.404").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId("999999989").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId("123456789").execute())
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> client.read().resource(Organization.class).withId("99999999").execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> client.read().resource(Endpoint.class).withId("other").execute())
                .isInstanceOf(ResourceNotFoundException.class);

        HttpResponse<String> invalidBsn = get("ImagingStudy?patient=123456789");
        assertThat(invalidBsn.statusCode()).isEqualTo(400);
        assertThat(outcome(invalidBsn).getIssueFirstRep().getDiagnostics()).contains("patient").doesNotContain("123456789");

        for (String[] bad : new String[][]{
                {"ImagingStudy?patient=" + a.bsn().value() + "&foo=bar", "foo"},
                {"ImagingStudy?patient=" + a.bsn().value() + "&modality=" + FhirNaming.SNOMED + "|CT", "modality"},
                {"ImagingStudy?patient=" + a.bsn().value() + "&status=done", "status"},
                {"ImagingStudy?patient=" + a.bsn().value() + "&_sort=started", "_sort"},
                {"ImagingStudy?patient=" + a.bsn().value() + "&_count=51", "_count"},
                {"ImagingStudy?modality=CT", "patient"},
                {"Patient?identifier=" + FhirNaming.BSN + "|123", "identifier"},
                {"Organization?identifier=" + FhirNaming.URA + "|12", "identifier"}}) {
            HttpResponse<String> response = get(bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).as(bad[0]).contains(bad[1]);
        }
        HttpResponse<String> badDate = get("ImagingStudy?patient=" + a.bsn().value() + "&started=notadate");
        assertThat(badDate.statusCode()).isEqualTo(400);
        outcome(badDate);

        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/ImagingStudy/" + twiinStudy))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(405);
        HttpResponse<String> unknownType = get("Observation?patient=" + a.bsn().value());
        assertThat(unknownType.statusCode()).isIn(400, 404);

        // patient data never reaches the log at INFO or above
        assertThat(output.getAll()).doesNotContain(a.bsn().value()).doesNotContain("123456789");
    }

    @Test
    void capabilityStatementTellsWhatIsThere() {
        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
        List<String> studyParameters = capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("ImagingStudy")).findFirst().orElseThrow()
                .getSearchParam().stream().map(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName).toList();
        assertThat(studyParameters).contains("patient", "identifier", "modality", "bodysite", "started", "status");
        assertThat(capabilities.getRestFirstRep().getResource()).extracting(r -> r.getType())
                .contains("ImagingStudy", "Patient", "Organization", "Endpoint");
        assertThat(capabilities.getRestFirstRep().getResource()).filteredOn(r -> !r.getType().equals("Consent"))
                .flatExtracting(r -> r.getInteraction())
                .extracting(i -> i.getCode().toCode()).doesNotContain("delete", "create", "update");
        // the only writes besides ITI-65: Consent create and revocation (PUT status inactive)
        assertThat(capabilities.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("Consent"))
                .flatExtracting(r -> r.getInteraction()).extracting(i -> i.getCode().toCode())
                .containsExactlyInAnyOrder("read", "search-type", "create", "update");
        assertThat(capabilities.getRestFirstRep().getResource()).filteredOn(r -> r.getType().equals("AuditEvent"))
                .flatExtracting(r -> r.getInteraction()).extracting(i -> i.getCode().toCode()).containsExactly("search-type");
        List<String> errors = R4Validation.errors(capabilities);
        assertThat(errors).isEmpty();
    }

    @Test
    void everyReadAndSearchIsAuditedPerPatientAndRefusalsAsFailures() {
        AuditStore audit = auditStore;
        long before = audit.count();
        client.search().byUrl("ImagingStudy?patient=Patient/" + b.bsn().value()).returnBundle(Bundle.class).execute();
        client.read().resource(ImagingStudy.class).withId(twiinStudy).execute();
        assertThatThrownBy(() -> client.search().byUrl("ImagingStudy?patient=Patient/123456789").returnBundle(Bundle.class).execute())
                .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.InvalidRequestException.class);

        await().untilAsserted(() -> assertThat(audit.count()).isGreaterThanOrEqualTo(before + 3));
        assertThat(audit.forPatient(b.bsn().value()))
                .anySatisfy(r -> {
                    assertThat(r.eventType()).isEqualTo("search-type");
                    assertThat(r.outcome()).isEqualTo("Success");
                });
        assertThat(audit.forPatient(a.bsn().value()))
                .anySatisfy(r -> {
                    assertThat(r.eventType()).isEqualTo("read");
                    assertThat(r.outcome()).isEqualTo("Success");
                });
        assertThat(audit.latest((int) (audit.count() - before)))
                .anySatisfy(r -> {
                    assertThat(r.eventType()).isEqualTo("search-type");
                    assertThat(r.outcome()).isEqualTo("MinorFailure");
                    assertThat(r.patientIds()).isEmpty();
                });
        assertThat(audit.verify()).isTrue();
    }

    // ---------------------------------------------------------------- _include, endpoint, $timeline

    private Bundle bundle(String query) {
        Bundle bundle = client.search().byUrl(query).returnBundle(Bundle.class).execute();
        R4Validation.assertValid(bundle);
        return bundle;
    }

    private static List<Bundle.BundleEntryComponent> mode(Bundle bundle, Bundle.SearchEntryMode mode) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == mode).toList();
    }

    @Test
    void includesThePatientAndTheEndpointOncePerBundle() {
        String patient = "ImagingStudy?patient=Patient/" + a.bsn().value() + "&_count=5";
        for (String includes : List.of("&_include=ImagingStudy:patient&_include=ImagingStudy:endpoint", "&_include=*",
                "&_include=ImagingStudy:subject&_include=ImagingStudy:endpoint")) {
            Bundle bundle = bundle(patient + includes);
            assertThat(mode(bundle, Bundle.SearchEntryMode.MATCH)).as(includes).hasSize(5)
                    .allSatisfy(e -> assertThat(e.getResource()).isInstanceOf(ImagingStudy.class));
            List<Bundle.BundleEntryComponent> included = mode(bundle, Bundle.SearchEntryMode.INCLUDE);
            assertThat(included).as(includes).hasSize(2);
            assertThat(included).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
                    .containsExactlyInAnyOrder("Patient/" + a.bsn().value(), "Endpoint/" + FhirNaming.WADO_ENDPOINT_ID);
            assertThat(included).allSatisfy(e -> assertThat(e.getFullUrl()).startsWith(fhirBase() + "/"));
            assertThat(bundle.getTotal()).isEqualTo(STUDIES + 1);
        }
        Bundle onlyPatient = bundle(patient + "&_include=ImagingStudy:patient");
        assertThat(mode(onlyPatient, Bundle.SearchEntryMode.INCLUDE)).singleElement()
                .satisfies(e -> assertThat(e.getResource()).isInstanceOf(Patient.class));
        // a report-only study has no endpoint to include
        Bundle reportOnly = bundle("ImagingStudy?identifier=" + FhirNaming.DICOM_UID + "|urn:oid:" + reportOnlyStudy
                + "&_include=ImagingStudy:endpoint");
        assertThat(mode(reportOnly, Bundle.SearchEntryMode.INCLUDE)).isEmpty();
        Bundle plain = bundle(patient);
        assertThat(mode(plain, Bundle.SearchEntryMode.INCLUDE)).isEmpty();
    }

    @Test
    void unsupportedIncludesAreRefused() throws Exception {
        for (String include : List.of("ImagingStudy:performer", "Patient:organization", "ImagingStudy:basedon")) {
            HttpResponse<String> response = get("ImagingStudy?patient=" + a.bsn().value() + "&_include=" + include);
            assertThat(response.statusCode()).as(include).isEqualTo(400);
            assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).as(include).contains("_include");
        }
    }

    /** A search answer with MHD DocumentReferences: validated against base R4 and the MHD profiles they claim. */
    private Bundle withDocuments(String query) {
        Bundle bundle = client.search().byUrl(query).returnBundle(Bundle.class).execute();
        nl.beeldbrug.gateway.fhir.mhd.MhdValidation.assertValid(bundle, null);
        bundle.getEntry().stream().filter(e -> e.getResource() instanceof org.hl7.fhir.r4.model.DocumentReference)
                .forEach(e -> nl.beeldbrug.gateway.fhir.mhd.MhdValidation.assertValid(e.getResource(),
                        nl.beeldbrug.gateway.fhir.mhd.MhdNaming.COMPREHENSIVE_DOCUMENT_REFERENCE));
        return bundle;
    }

    @Test
    void revincludesTheStudysDocumentReferences() {
        Bundle bundle = withDocuments("ImagingStudy?identifier=" + FhirNaming.DICOM_UID + "|urn:oid:" + twiinStudy
                + "&_revinclude=DocumentReference:related");
        assertThat(mode(bundle, Bundle.SearchEntryMode.MATCH)).singleElement()
                .satisfies(e -> assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(twiinStudy));
        List<Bundle.BundleEntryComponent> documents = mode(bundle, Bundle.SearchEntryMode.INCLUDE);
        assertThat(bundle.getTotal()).isEqualTo(1);
        // two manifests and two reports, each once, each naming the study in context.related
        assertThat(documents).hasSize(4).allSatisfy(e -> {
            org.hl7.fhir.r4.model.DocumentReference document = (org.hl7.fhir.r4.model.DocumentReference) e.getResource();
            assertThat(document.getContext().getRelated()).extracting(org.hl7.fhir.r4.model.Reference::getReference)
                    .contains("ImagingStudy/" + twiinStudy);
            assertThat(document.getSubject().getReference()).isEqualTo("Patient/" + a.bsn().value());
        });
        List<String> reportIds = reportsOf(a, twiinStudy).stream().map(FhirNaming::documentReferenceId).toList();
        assertThat(documents).extracting(e -> e.getResource().getIdElement().getIdPart()).containsAll(reportIds)
                .doesNotHaveDuplicates();
        // a page of studies: every included document belongs to a study on the page
        Bundle page = withDocuments("ImagingStudy?patient=" + a.bsn().value() + "&_count=3&_revinclude=DocumentReference:related");
        assertThat(mode(page, Bundle.SearchEntryMode.MATCH)).hasSize(3);
        assertThat(mode(page, Bundle.SearchEntryMode.INCLUDE)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(page.getLink(Bundle.LINK_NEXT).getUrl()).contains("_offset=3");
    }

    @Test
    void searchByEndpoint() throws Exception {
        String patient = "patient=Patient/" + a.bsn().value() + "&_count=50";
        assertThat(ids(patient + "&endpoint=Endpoint/" + FhirNaming.WADO_ENDPOINT_ID))
                .containsExactlyElementsOf(newestFirst.subList(0, STUDIES));
        assertThat(ids(patient + "&endpoint=Endpoint/other")).isEmpty();
        assertThat(ids(patient + "&endpoint=Endpoint/" + FhirNaming.WADO_ENDPOINT_ID + "&status=registered")).isEmpty();
        HttpResponse<String> wrongType = get("ImagingStudy?" + patient + "&endpoint=Patient/" + a.bsn().value());
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(outcome(wrongType).getIssueFirstRep().getDiagnostics()).contains("endpoint");
    }

    @Test
    void timelineOneEntryPerStudyNewestFirstWithItsReports() {
        Bundle timeline = client.operation().onInstance(new org.hl7.fhir.r4.model.IdType("Patient", a.bsn().value()))
                .named(PatientProvider.TIMELINE).withNoParameters(org.hl7.fhir.r4.model.Parameters.class).useHttpGet()
                .returnResourceType(Bundle.class).execute();
        R4Validation.assertValid(timeline);

        assertThat(timeline.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        assertThat(timeline.getTotal()).isEqualTo(newestFirst.size());
        assertThat(timeline.getEntry()).extracting(e -> e.getResource().getIdElement().getIdPart())
                .containsExactlyElementsOf(newestFirst);
        assertThat(timeline.getEntry()).allSatisfy(e -> {
            assertThat(e.getSearch().getMode()).isEqualTo(Bundle.SearchEntryMode.MATCH);
            assertThat(((ImagingStudy) e.getResource()).getSubject().getReference()).isEqualTo("Patient/" + a.bsn().value());
        });
        ImagingStudy twiin = (ImagingStudy) timeline.getEntryFirstRep().getResource();
        List<String> reportsViaXds = reportsOf(a, twiinStudy);
        assertThat(reportsViaXds).hasSize(2).allSatisfy(u -> assertThat(u).startsWith("urn:uuid:"));
        assertThat(twiin.getExtensionsByUrl(FhirNaming.EXT_REPORT)).extracting(x -> ((org.hl7.fhir.r4.model.Reference) x.getValue()).getReference())
                .containsExactlyInAnyOrderElementsOf(reportsViaXds.stream()
                        .map(u -> "DocumentReference/" + u.substring("urn:uuid:".length())).toList());
        // a study with a manifest and no report links none; the report-only study links its one report
        assertThat(((ImagingStudy) timeline.getEntry().get(1).getResource()).getExtensionsByUrl(FhirNaming.EXT_REPORT)).isEmpty();
        assertThat(((ImagingStudy) timeline.getEntry().get(newestFirst.size() - 1).getResource())
                .getExtensionsByUrl(FhirNaming.EXT_REPORT)).hasSize(1);

        // other patients' studies never appear
        Bundle other = client.operation().onInstance(new org.hl7.fhir.r4.model.IdType("Patient", b.bsn().value()))
                .named(PatientProvider.TIMELINE).withNoParameters(org.hl7.fhir.r4.model.Parameters.class).useHttpGet()
                .returnResourceType(Bundle.class).execute();
        R4Validation.assertValid(other);
        assertThat(other.getEntry()).hasSize(2).extracting(e -> e.getResource().getIdElement().getIdPart())
                .doesNotContainAnyElementsOf(newestFirst);
    }

    /** The entryUUIDs of the study's reports, as ITI-18 FindDocuments tells them. */
    private List<String> reportsOf(SampleMetadata patient, String studyUid) {
        FindDocumentsQuery find = new FindDocumentsQuery();
        find.setPatientId(patient.patientId());
        find.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse found = producer.requestBody(xds("xds-iti18", "registry/iti18"),
                new QueryRegistry(find, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(found.getStatus()).isEqualTo(Status.SUCCESS);
        return found.getDocumentEntries().stream()
                .filter(d -> d.getReferenceIdList().stream().anyMatch(r -> studyUid.equals(r.getId())))
                .filter(d -> !d.getFormatCode().getCode().endsWith("1.2.840.10008.5.1.4.1.1.88.59"))
                .map(DocumentEntry::getEntryUuid).toList();
    }

    @Test
    void timelineErrors() throws Exception {
        HttpResponse<String> unknown = get("Patient/999999989/$timeline");
        assertThat(unknown.statusCode()).isEqualTo(404);
        outcome(unknown);
        HttpResponse<String> invalid = get("Patient/123456789/$timeline");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(outcome(invalid).getIssueFirstRep().getDiagnostics()).doesNotContain("123456789");
        HttpResponse<String> unknownParameter = get("Patient/" + a.bsn().value() + "/$timeline?since=2020");
        assertThat(unknownParameter.statusCode()).isEqualTo(400);
        assertThat(outcome(unknownParameter).getIssueFirstRep().getDiagnostics()).contains("since");
    }

    // ---------------------------------------------------------------- strict input, _summary=count, XML

    @Test
    void strictSearchInput() throws Exception {
        String patient = "patient=" + a.bsn().value();
        for (String[] bad : new String[][]{
                {"ImagingStudy?" + patient + "&_foo=bar", "_foo"},
                {"ImagingStudy?" + patient + "&_lastUpdated=gt2020-01-01", "_lastUpdated"},
                {"ImagingStudy?" + patient + "&_id=" + twiinStudy, "_id"},
                {"ImagingStudy?" + patient + "&_revinclude=Provenance:target", "_revinclude"},
                {"ImagingStudy?" + patient + "&_count=abc", "_count"},
                {"ImagingStudy?" + patient + "&_count=-1", "_count"},
                {"ImagingStudy?" + patient + "&_count=100000", "_count"},
                {"ImagingStudy?" + patient + "&_offset=x", "_offset"},
                {"ImagingStudy?" + patient + "&_summary=bogus", "_summary"},
                {"ImagingStudy?" + patient + "&_sort=modality", "_sort"},
                {"ImagingStudy?" + patient + "&started=xx2024-01-01", "started"},
                {"ImagingStudy?" + patient + "&started=ap2024-01-01", "started"},
                {"ImagingStudy?" + patient + "&started=2024-13-45", "started"},
                {"ImagingStudy?" + patient + "&started=", "started"},
                {"ImagingStudy?" + patient + "&modality=|", "modality"},
                {"ImagingStudy?" + patient + "&identifier=urn:dicom:uid|", "identifier"},
                {"ImagingStudy/" + twiinStudy + "?foo=bar", "foo"},
                {"Patient?identifier=" + FhirNaming.BSN + "|" + a.bsn().value() + "&name=x", "name"},
                {"Patient/" + a.bsn().value() + "?_count=1", "_count"},
                {"Organization?identifier=" + FhirNaming.URA + "|00001234&_sort=name", "_sort"},
                {"Endpoint/" + FhirNaming.WADO_ENDPOINT_ID + "?_format=yaml", "_format"}}) {
            HttpResponse<String> response = get(bad[0]);
            assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
            assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).as(bad[0]).startsWith(bad[1] + ":");
        }
        for (String good : List.of("ImagingStudy?" + patient + "&_count=0", "ImagingStudy?" + patient + "&_pretty=true&_format=json",
                "ImagingStudy?" + patient + "&_elements=identifier", "ImagingStudy/" + twiinStudy + "?_format=json",
                "Patient/" + a.bsn().value() + "?_summary=true")) {
            assertThat(get(good).statusCode()).as(good).isEqualTo(200);
        }
    }

    @Test
    void summaryCountIsTheTotal() {
        String patient = "ImagingStudy?patient=Patient/" + a.bsn().value();
        for (String filter : List.of("", "&modality=MR", "&status=registered", "&started=ge2023-01-01",
                "&endpoint=Endpoint/" + FhirNaming.WADO_ENDPOINT_ID)) {
            Bundle count = bundle(patient + filter + "&_summary=count");
            assertThat(count.getEntry()).as(filter).isEmpty();
            assertThat(count.getTotal()).as(filter).isEqualTo(ids("patient=Patient/" + a.bsn().value() + filter + "&_count=50").size());
        }
        assertThat(bundle(patient + "&_summary=count").getTotal()).isEqualTo(STUDIES + 1);
        assertThat(bundle(patient + "&_summary=count&_count=1&_offset=3").getTotal()).isEqualTo(STUDIES + 1);
        assertThat(bundle("ImagingStudy?patient=" + c.bsn().value() + "&_summary=count").getTotal()).isEqualTo(1);
        assertThat(bundle("ImagingStudy?identifier=urn:oid:1.2.3.404&_summary=count").getTotal()).isZero();
    }

    @Test
    void xmlAnswersValidate() throws Exception {
        for (String path : List.of("ImagingStudy?patient=" + a.bsn().value() + "&_count=3&_include=*&_format=xml",
                "ImagingStudy/" + countedStudy + "?_format=xml",
                "Patient/" + a.bsn().value() + "/$timeline?_format=xml",
                "Patient/" + a.bsn().value() + "?_format=xml",
                "Endpoint/" + FhirNaming.WADO_ENDPOINT_ID + "?_format=application/fhir%2Bxml")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/" + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(path).contains("xml");
            org.hl7.fhir.instance.model.api.IBaseResource resource = FhirContext.forR4Cached().newXmlParser().parseResource(response.body());
            R4Validation.assertValid(resource);
        }
        HttpResponse<String> error = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/ImagingStudy?modality=CT&_format=xml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(error.statusCode()).isEqualTo(400);
        R4Validation.assertValid(FhirContext.forR4Cached().newXmlParser().parseResource(OperationOutcome.class, error.body()));
    }

    // ---------------------------------------------------------------- truthful CapabilityStatement and OpenAPI

    /** A value that must be accepted for each search parameter of the resource types of this face. */
    private java.util.Map<String, String> sampleSearches() {
        String patient = "patient=" + a.bsn().value();
        return java.util.Map.ofEntries(
                java.util.Map.entry("ImagingStudy.patient", "patient=Patient/" + a.bsn().value()),
                java.util.Map.entry("ImagingStudy.identifier", "identifier=" + accession),
                java.util.Map.entry("ImagingStudy.modality", patient + "&modality=CT"),
                java.util.Map.entry("ImagingStudy.bodysite", patient + "&bodysite=51185008"),
                java.util.Map.entry("ImagingStudy.started", patient + "&started=ge2000-01-01"),
                java.util.Map.entry("ImagingStudy.status", patient + "&status=available"),
                java.util.Map.entry("ImagingStudy.endpoint", patient + "&endpoint=Endpoint/" + FhirNaming.WADO_ENDPOINT_ID),
                java.util.Map.entry("Patient.identifier", "identifier=" + FhirNaming.BSN + "|" + a.bsn().value()),
                java.util.Map.entry("Organization.identifier", "identifier=" + FhirNaming.URA + "|00001234"),
                java.util.Map.entry("AuditEvent.patient", patient),
                java.util.Map.entry("AuditEvent.date", "date=ge2000-01-01"));
    }

    @Test
    void theCapabilityStatementIsTruthful() throws Exception {
        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
        java.util.Map<String, String> samples = sampleSearches();
        Set<String> listed = new TreeSet<>();
        for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : capabilities.getRestFirstRep().getResource()) {
            boolean searchable = resource.getInteraction().stream()
                    .anyMatch(i -> i.getCode() == CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
            for (CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent param : resource.getSearchParam()) {
                String key = resource.getType() + "." + param.getName();
                listed.add(key);
                String query = samples.get(key);
                if (query == null) {
                    continue; // another face's resource type (e.g. MHD): its own tests give it values
                }
                HttpResponse<String> response = get(resource.getType() + "?" + query);
                assertThat(response.statusCode()).as(key).isEqualTo(200);
                Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, response.body());
                assertThat(bundle.getTotal()).as(key).isPositive();
            }
            String base = samples.entrySet().stream().filter(e -> e.getKey().startsWith(resource.getType() + "."))
                    .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
            if (base != null) { // every _include and _revinclude listed works
                for (org.hl7.fhir.r4.model.StringType include : resource.getSearchInclude()) {
                    assertThat(get(resource.getType() + "?" + base + "&_include=" + include.getValue()).statusCode())
                            .as(resource.getType() + " _include=" + include.getValue()).isEqualTo(200);
                }
                for (org.hl7.fhir.r4.model.StringType include : resource.getSearchRevInclude()) {
                    assertThat(get(resource.getType() + "?" + base + "&_revinclude=" + include.getValue()).statusCode())
                            .as(resource.getType() + " _revinclude=" + include.getValue()).isEqualTo(200);
                }
            }
            if (searchable) {
                HttpResponse<String> unlisted = get(resource.getType() + "?zz-unlisted=1");
                assertThat(unlisted.statusCode()).as(resource.getType()).isEqualTo(400);
                assertThat(outcome(unlisted).getIssueFirstRep().getDiagnostics()).startsWith("zz-unlisted:");
            }
        }
        assertThat(listed).containsAll(samples.keySet()); // every parameter of this face is listed
        CapabilityStatement.CapabilityStatementRestResourceComponent patient = capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("Patient")).findFirst().orElseThrow();
        assertThat(patient.getOperation()).extracting(CapabilityStatement.CapabilityStatementRestResourceOperationComponent::getName)
                .contains("timeline");
        CapabilityStatement.CapabilityStatementRestResourceComponent study = capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("ImagingStudy")).findFirst().orElseThrow();
        assertThat(study.getSearchInclude()).extracting(org.hl7.fhir.r4.model.PrimitiveType::getValue)
                .containsExactlyInAnyOrder("*", "ImagingStudy:patient", "ImagingStudy:subject", "ImagingStudy:endpoint");
    }

    @Test
    void openApiDescribesExactlyWhatTheCapabilityStatementLists() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/" + OpenApiInterceptor.PATH)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        io.swagger.v3.parser.core.models.SwaggerParseResult parsed = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(response.body());
        assertThat(parsed.getMessages()).isEmpty();
        io.swagger.v3.oas.models.OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getServers()).extracting(io.swagger.v3.oas.models.servers.Server::getUrl).containsExactly(fhirBase());

        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
        Set<String> expected = new TreeSet<>(Set.of("GET /metadata"));
        java.util.Map<String, Set<String>> expectedSearchParameters = new java.util.TreeMap<>();
        for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : capabilities.getRestFirstRep().getResource()) {
            String type = resource.getType();
            for (CapabilityStatement.ResourceInteractionComponent interaction : resource.getInteraction()) {
                switch (interaction.getCode()) {
                    case READ -> expected.add("GET /" + type + "/{id}");
                    case SEARCHTYPE -> {
                        expected.add("GET /" + type);
                        Set<String> names = new TreeSet<>();
                        resource.getSearchParam().forEach(p -> names.add(p.getName()));
                        if (resource.hasSearchInclude()) {
                            names.add("_include");
                        }
                        if (resource.hasSearchRevInclude()) {
                            names.add("_revinclude");
                        }
                        names.addAll(OpenApiGenerator.SEARCH_RESULT_PARAMETERS);
                        expectedSearchParameters.put(type, names);
                    }
                    case VREAD -> expected.add("GET /" + type + "/{id}/_history/{vid}");
                    case CREATE -> expected.add("POST /" + type);
                    case UPDATE -> expected.add("PUT /" + type + "/{id}");
                    case DELETE -> expected.add("DELETE /" + type + "/{id}");
                    default -> { }
                }
            }
            for (CapabilityStatement.CapabilityStatementRestResourceOperationComponent op : resource.getOperation()) {
                // the OperationDefinition says on which level: $timeline on an instance, $prior-check on the type
                org.hl7.fhir.r4.model.OperationDefinition definition = client.read().resource(org.hl7.fhir.r4.model.OperationDefinition.class)
                        .withUrl(op.getDefinition()).execute();
                String method = definition.getAffectsState() ? "POST" : "GET"; // $ai-cohort creates a cohort: POST only
                if (definition.getInstance()) {
                    expected.add(method + " /" + type + "/{id}/$" + op.getName());
                }
                if (definition.getType()) {
                    expected.add(method + " /" + type + "/$" + op.getName());
                }
            }
        }
        for (CapabilityStatement.SystemInteractionComponent interaction : capabilities.getRestFirstRep().getInteraction()) {
            if (interaction.getCode() == CapabilityStatement.SystemRestfulInteraction.TRANSACTION
                    || interaction.getCode() == CapabilityStatement.SystemRestfulInteraction.BATCH) {
                expected.add("POST /");
            }
        }
        Set<String> described = new TreeSet<>();
        java.util.Map<String, Set<String>> describedSearchParameters = new java.util.TreeMap<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            described.add(method.name() + " " + path);
            if (method == io.swagger.v3.oas.models.PathItem.HttpMethod.GET && path.matches("/[A-Z][A-Za-z]+")) {
                Set<String> names = new TreeSet<>();
                if (operation.getParameters() != null) {
                    operation.getParameters().forEach(p -> names.add(p.getName()));
                }
                describedSearchParameters.put(path.substring(1), names);
            }
        }));
        assertThat(described).isEqualTo(expected);
        assertThat(describedSearchParameters).isEqualTo(expectedSearchParameters);
        assertThat(described).contains("GET /ImagingStudy", "GET /ImagingStudy/{id}", "GET /Patient/{id}/$timeline",
                "GET /Endpoint/{id}", "GET /Organization");
        assertThat(describedSearchParameters.get("ImagingStudy")).contains("patient", "endpoint", "_include", "_count");
    }
}
