package nl.beeldbrug.gateway.audit;

import ca.uhn.fhir.context.FhirContext;
import nl.beeldbrug.gateway.fhir.R4Validation;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Audit completeness (issue 6, acceptance): a catalogue of requests of every kind the gateway answers over HTTP —
 * FHIR read, search, count, include, 404, 400, 405, MHD, Consent, AuditEvent, and XDS ITI-18/41/42/43/57/62 through
 * IPF — each adds exactly one audit_event row, with the expected outcome and the requester's organisation (URA),
 * user and purpose (here the open requester, 99999999 / TREAT). The AuditEvent search per patient, organisation and
 * period returns R4-valid AuditEvents carrying user, organisation, purpose and outcome. Requests refused at the edge
 * (tokens on, a context of its own): {@link RefusedRequestAuditIT}.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.xds.max-document-size=4KB"})
class AuditCompletenessIT {

    private static final String OPEN_URA = "99999999";

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-audit-completeness-postgres");
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
    AuditStore audit;

    private final HttpClient http = HttpClient.newHttpClient();
    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.THIRD_BSN);
    private final List<String> done = new ArrayList<>();

    @Test
    void everyRequestAddsExactlyOneRecordWithItsOutcomeAndRequester() throws Exception {
        String bsn = sample.bsn().value();
        Database.inTransaction(dataSource, c -> patients.add(c, sample.bsn()));

        // ---- XDS through IPF
        DocumentEntry report = sample.report(SampleMetadata.newUid());
        expect("ITI-41 provide", "ITI-41", "Success", () -> producer.requestBody(uri("xds-iti41", "repository/iti41"),
                sample.provideAndRegister(sample.submissionSet(), report), Response.class).getStatus());
        FindDocumentsQuery find = new FindDocumentsQuery();
        find.setPatientId(sample.patientId());
        find.setStatus(List.of(AvailabilityStatus.APPROVED));
        expect("ITI-18 find", "ITI-18", "Success", () -> producer.requestBody(uri("xds-iti18", "registry/iti18"),
                new QueryRegistry(find, QueryReturnType.LEAF_CLASS), QueryResponse.class).getStatus());
        RetrieveDocumentSet retrieve = new RetrieveDocumentSet();
        retrieve.getDocuments().add(new DocumentReference(SampleMetadata.REPOSITORY_UNIQUE_ID, report.getUniqueId(), null));
        expect("ITI-43 retrieve", "ITI-43", "Success", () -> producer.requestBody(uri("xds-iti43", "repository/iti43"),
                retrieve, RetrievedDocumentSet.class).getStatus());
        DocumentEntry registered = sample.report(SampleMetadata.newUid());
        RegisterDocumentSet register = sample.register(registered);
        expect("ITI-42 register", "ITI-42", "Success", () -> producer.requestBody(uri("xds-iti42", "registry/iti42"),
                register, Response.class).getStatus());
        SubmissionSet updateSet = sample.submissionSet();
        Association change = new Association(AssociationType.UPDATE_AVAILABILITY_STATUS, "urn:uuid:" + UUID.randomUUID(),
                updateSet.getEntryUuid(), registered.getEntryUuid());
        change.setOriginalStatus(AvailabilityStatus.APPROVED);
        change.setNewStatus(AvailabilityStatus.DEPRECATED);
        RegisterDocumentSet update = sample.register(updateSet);
        update.getAssociations().add(change);
        expectByStatus("ITI-57 update", "ITI-57", () -> producer.requestBody(uri("xds-iti57", "registry/iti57"),
                update, Response.class).getStatus());
        RemoveMetadata remove = new RemoveMetadata();
        remove.getReferences().add(new ObjectReference(registered.getEntryUuid()));
        expectByStatus("ITI-62 remove", "ITI-62", () -> producer.requestBody(uri("rmd-iti62", "registry/iti62"),
                remove, Response.class).getStatus());
        ProvideAndRegisterDocumentSet tooBig = sample.provideAndRegister(sample.submissionSet(), sample.report(SampleMetadata.newUid()));
        tooBig.getDocuments().get(0).setDataHandler(new jakarta.activation.DataHandler(
                new nl.beeldbrug.registry.xds.BytesDataSource(new byte[8 * 1024], "application/pdf")));
        tooBig.getDocuments().get(0).getDocumentEntry().setHash(null);
        tooBig.getDocuments().get(0).getDocumentEntry().setSize(null);
        expect("ITI-41 refused (too large)", "ITI-41", "SeriousFailure", () -> producer.requestBody(uri("xds-iti41", "repository/iti41"),
                tooBig, Response.class).getStatus());

        // ---- FHIR
        expectFhir("GET", "ImagingStudy?patient=" + bsn, 200, "Success");
        expectFhir("GET", "ImagingStudy?patient=" + bsn + "&_summary=count", 200, "Success");
        expectFhir("GET", "ImagingStudy?patient=" + bsn + "&_include=ImagingStudy:subject", 200, "Success");
        expectFhir("GET", "Patient/" + bsn, 200, "Success");
        expectFhir("GET", "ImagingStudy/1.2.826.0.1.3680043.2.1125.404", 404, "MinorFailure");
        expectFhir("GET", "ImagingStudy?patient=123456789", 400, "MinorFailure");
        expectFhir("GET", "ImagingStudy?no-such-parameter=1", 400, "MinorFailure");
        expectFhir("DELETE", "ImagingStudy/1.2.3", 405, "MinorFailure");
        expectFhir("GET", "DocumentReference?patient=" + bsn, 200, "Success");
        expectFhir("GET", "Consent?patient=" + bsn, 200, "Success");
        expectFhir("GET", "Consent/no-such-consent", 404, "MinorFailure");
        expectFhir("GET", "AuditEvent?patient=" + bsn, 200, "Success");

        // ---- AuditEvent per patient, organisation and period: R4-valid, user, organisation, purpose and outcome
        Bundle byOrganisation = auditEvents("agent=Organization/" + OPEN_URA + "&date=ge2000-01-01&_count=50");
        assertThat(byOrganisation.getTotal()).isEqualTo(done.size() - 1); // this search itself is recorded after its answer
        for (Bundle.BundleEntryComponent entry : byOrganisation.getEntry()) {
            AuditEvent event = (AuditEvent) entry.getResource();
            assertThat(event.getPurposeOfEvent()).as(event.getId()).anyMatch(p -> "TREAT".equals(p.getCodingFirstRep().getCode())
                    && "http://terminology.hl7.org/CodeSystem/v3-ActReason".equals(p.getCodingFirstRep().getSystem()));
            assertThat(event.getAgent()).as(event.getId()).anyMatch(a -> ("Organization/" + OPEN_URA).equals(a.getWho().getReference())
                    && OPEN_URA.equals(a.getWho().getIdentifier().getValue()));
            assertThat(event.getAgent()).as(event.getId()).anyMatch(a -> "open-access".equals(a.getWho().getIdentifier().getValue()));
        }
        assertThat(byOrganisation.getEntry()).extracting(e -> ((AuditEvent) e.getResource()).getOutcome())
                .contains(AuditEvent.AuditEventOutcome._0, AuditEvent.AuditEventOutcome._4, AuditEvent.AuditEventOutcome._8);
        assertThat(auditEvents("patient=" + bsn + "&agent=Organization/" + OPEN_URA + "&date=ge2000-01-01").getTotal())
                .isGreaterThanOrEqualTo(4); // the XDS transactions name the patient
        assertThat(auditEvents("agent.identifier=http://fhir.nl/fhir/NamingSystem/ura|" + OPEN_URA + "&_count=1").getTotal())
                .isGreaterThanOrEqualTo(done.size() - 1);
        assertThat(auditEvents("agent=Organization/12345678").getTotal()).isZero();
        assertThat(auditEvents("agent=Organization/" + OPEN_URA + "&date=lt2000-01-01").getTotal()).isZero();
        expectFhir("GET", "AuditEvent?agent=12345678", 400, "MinorFailure");

        // nothing arrives late: the trail holds exactly one record per request of the catalogue
        long total = audit.count();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> audit.count() == total);
        assertThat(audit.verify()).isTrue();
    }

    /** Runs a request and checks that exactly one record appeared, of that event type, outcome and requester. */
    private void expect(String what, String eventType, String outcome, Supplier<Status> request) {
        long before = audit.latestId();
        Status status = request.get();
        assertThat(status).as(what).isIn(Status.SUCCESS, Status.FAILURE, Status.PARTIAL_SUCCESS);
        one(what, before, eventType, outcome);
    }

    /** As {@link #expect}, with the outcome the response status implies (0 on success, a failure otherwise). */
    private void expectByStatus(String what, String eventType, Supplier<Status> request) {
        long before = audit.latestId();
        Status status = request.get();
        StoredAuditEvent event = one(what, before, eventType, null);
        if (status == Status.SUCCESS) {
            assertThat(event.record().outcome()).as(what).isEqualTo("Success");
        } else {
            assertThat(event.record().outcome()).as(what).isNotEqualTo("Success");
        }
    }

    private void expectFhir(String method, String path, int status, String outcome) throws Exception {
        long before = audit.latestId();
        HttpResponse<String> response = send(method, path);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        one(method + " " + path, before, null, outcome);
    }

    private StoredAuditEvent one(String what, long before, String eventType, String outcome) {
        await().atMost(Duration.ofSeconds(20)).until(() -> audit.latestId() > before);
        List<StoredAuditEvent> added = audit.after(before, 10);
        assertThat(added).as(what + ": records added").hasSize(1);
        AuditRecord record = added.get(0).record();
        if (eventType != null) {
            assertThat(record.eventType()).as(what).isEqualTo(eventType);
        }
        if (outcome != null) {
            assertThat(record.outcome()).as(what).isEqualTo(outcome);
        }
        assertThat(record.organisation()).as(what + ": organisation").isEqualTo(OPEN_URA);
        assertThat(record.userId()).as(what + ": user").isEqualTo("open-access");
        assertThat(record.purpose()).as(what + ": purpose").isEqualTo("TREAT");
        done.add(what);
        return added.get(0);
    }

    private Bundle auditEvents(String query) throws Exception {
        long before = audit.latestId();
        HttpResponse<String> response = send("GET", "AuditEvent?" + query);
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, response.body());
        R4Validation.assertValid(bundle);
        bundle.getEntry().forEach(e -> R4Validation.assertValid(e.getResource()));
        one("AuditEvent?" + query, before, null, "Success");
        return bundle;
    }

    private String uri(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port + "/services/" + path + "?audit=false";
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/" + path.replace("|", "%7C")))
                .header("Accept", "application/fhir+json").method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
