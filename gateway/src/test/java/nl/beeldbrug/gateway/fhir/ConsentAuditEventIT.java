package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import nl.beeldbrug.gateway.fhir.consent.ConsentMapper;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import org.apache.camel.ProducerTemplate;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consent (create, read, search, revoke by PUT status inactive) and AuditEvent search on /fhir, in process over
 * loopback: every returned resource validated against base R4, refusals store nothing.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.fhir.max-page-size=50"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentAuditEventIT {

    private static final String BSN = SampleMetadata.BSN.value();
    private static final String UNKNOWN_PATIENT = SampleMetadata.OTHER_BSN.value(); // valid, never registered here
    private static final String STUDY_UID = "1.2.826.0.1.3680043.2.1125.77.1";

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-consent-postgres");
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    AuditStore auditStore;

    private final HttpClient http = HttpClient.newHttpClient();
    private final IParser json = FhirContext.forR4Cached().newJsonParser();

    @Autowired
    ProducerTemplate producer;

    /** The patient with one report: a patient of whom nothing may be seen would look unknown (consent). */
    @BeforeAll
    void registerPatient() {
        Database.inTransaction(dataSource, t -> patients.add(t, SampleMetadata.BSN));
        SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);
        Response response = producer.requestBody("xds-iti41://127.0.0.1:" + port + "/services/repository/iti41?audit=false",
                sample.provideAndRegister(sample.submissionSet(), sample.report(SampleMetadata.newUid())), Response.class);
        assertThat(response.getStatus()).as("ITI-41 %s", response.getErrors()).isEqualTo(Status.SUCCESS);
    }

    // ------------------------------------------------------------------------------------------------ Consent

    @Test
    void createReadSearchRevoke() throws Exception {
        HttpResponse<String> created = send("POST", "Consent", json.encodeResourceToString(consent()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Consent answer = consentOf(created);
        String id = answer.getIdElement().getIdPart();
        assertThat(created.headers().firstValue("Location").orElse("")).contains("/Consent/" + id + "/_history/1");
        assertThat(answer.getMeta().getVersionId()).isEqualTo("1");
        assertSameContent(answer, consent());

        HttpResponse<String> read = send("GET", "Consent/" + id, null);
        assertThat(read.statusCode()).isEqualTo(200);
        Consent readBack = consentOf(read);
        assertThat(readBack.getStatus()).isEqualTo(Consent.ConsentState.ACTIVE);
        assertSameContent(readBack, consent());

        for (String query : List.of("patient=Patient/" + BSN, "patient.identifier=http://fhir.nl/fhir/NamingSystem/bsn|" + BSN,
                "patient=" + BSN + "&status=active")) {
            assertThat(searchIds(query)).as(query).contains(id);
        }
        assertThat(searchIds("patient=" + BSN + "&status=inactive")).doesNotContain(id);

        Consent changed = readBack.copy();
        changed.setStatus(Consent.ConsentState.INACTIVE);
        changed.getProvision().getProvisionFirstRep().getPurposeFirstRep().setCode("COC");
        HttpResponse<String> edit = send("PUT", "Consent/" + id, json.encodeResourceToString(changed));
        assertThat(edit.statusCode()).isEqualTo(422);
        outcome(edit);
        Consent stillActive = readBack.copy();
        HttpResponse<String> notRevoking = send("PUT", "Consent/" + id, json.encodeResourceToString(stillActive));
        assertThat(notRevoking.statusCode()).isEqualTo(422);

        Consent revoke = readBack.copy();
        revoke.setStatus(Consent.ConsentState.INACTIVE);
        HttpResponse<String> revoked = send("PUT", "Consent/" + id, json.encodeResourceToString(revoke));
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        Consent afterRevoke = consentOf(revoked);
        assertThat(afterRevoke.getStatus()).isEqualTo(Consent.ConsentState.INACTIVE);
        assertThat(afterRevoke.getMeta().getVersionId()).isEqualTo("2");
        assertThat(consentOf(send("GET", "Consent/" + id, null)).getMeta().getVersionId()).isEqualTo("2");
        ConsentStore store = new ConsentStore(dataSource, Clock.systemUTC());
        assertThat(store.read(id).orElseThrow().status()).isEqualTo(ConsentStatus.REVOKED);
        assertThat(store.history(id)).extracting(ConsentStore.ConsentEvent::event).containsExactly("created", "revoked");
        assertThat(searchIds("patient=" + BSN + "&status=inactive")).contains(id);
        assertThat(searchIds("patient=" + BSN + "&status=active")).doesNotContain(id);

        // revoking again changes nothing
        HttpResponse<String> again = send("PUT", "Consent/" + id, json.encodeResourceToString(revoke));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(consentOf(again).getMeta().getVersionId()).isEqualTo("2");
        assertThat(store.history(id)).hasSize(2);

        Consent unknown = revoke.copy();
        unknown.setId("no-such-consent");
        assertThat(send("PUT", "Consent/no-such-consent", json.encodeResourceToString(unknown)).statusCode()).isEqualTo(404);
        assertThat(send("GET", "Consent/no-such-consent", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "Consent/" + id, null).statusCode()).isEqualTo(405);
        assertThat(send("PUT", "ImagingStudy/1.2.3", "{}").statusCode()).isEqualTo(405);
        assertThat(send("POST", "Patient", "{\"resourceType\":\"Patient\"}").statusCode()).isEqualTo(405);
    }

    @Test
    void invalidConsentsAreRefusedAndNothingIsStored() throws Exception {
        long before = consentRows();
        refused(c -> c.setPatient(new Reference("Patient/123456789")), 422, "patient: not a valid BSN");
        refused(c -> c.setPatient(new Reference("Patient/" + UNKNOWN_PATIENT)), 422, "patient: not known");
        refused(c -> c.getPatient().setIdentifier(new Identifier().setSystem("urn:other").setValue(BSN)), 422, "patient.identifier");
        refused(c -> c.getProvision().getProvisionFirstRep().getPurposeFirstRep().setCode("MARKETING"), 422, "provision.purpose");
        refused(c -> c.getProvision().getProvisionFirstRep().addProvision().setType(Consent.ConsentProvisionType.DENY), 422,
                "provision.provision");
        refused(c -> c.getProvision().setType(Consent.ConsentProvisionType.DENY), 422, "root provision");
        refused(c -> c.getProvision().getProvision().clear(), 422, "nested provision");
        refused(c -> c.setStatus(Consent.ConsentState.DRAFT), 422, "status");
        refused(c -> c.setScope(new CodeableConcept(new Coding(ConsentMapper.CONSENT_SCOPE, "research", null))), 422, "scope");
        refused(c -> c.getProvision().getProvisionFirstRep().getActorFirstRep().getReference().getIdentifier().setValue("123"),
                422, "URA");
        refused(c -> c.getProvision().getProvision().get(1).getDataFirstRep().getReference().getIdentifier().setValue("not-a-uid"),
                422, "provision.data");
        refused(c -> c.setDateTimeElement(new DateTimeType()), 422, "dateTime");

        HttpResponse<String> malformed = send("POST", "Consent", "{\"resourceType\":\"Consent\", \"status\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        outcome(malformed);
        HttpResponse<String> wrongType = send("POST", "Consent", "{\"resourceType\":\"Patient\"}");
        assertThat(wrongType.statusCode()).isIn(400, 422);
        outcome(wrongType);
        assertThat(send("GET", "Consent?patient=Patient/123456789", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "Consent?status=active", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "Consent?patient=" + BSN + "&status=draft", null).statusCode()).isEqualTo(400);
        assertThat(consentRows()).isEqualTo(before);
    }

    // --------------------------------------------------------------------------------------------- AuditEvent

    @Test
    void auditEventsOfAPatientNewestFirstPagedAndTheSearchIsItselfAudited() throws Exception {
        assertThat(send("GET", "Patient/" + BSN, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "Patient?identifier=" + FhirNaming.BSN + "|" + BSN, null).statusCode()).isEqualTo(200);

        Bundle first = auditEvents("patient=" + BSN + "&_count=2");
        long total = first.getTotal();
        assertThat(total).isGreaterThanOrEqualTo(2);
        assertThat(first.getEntry()).hasSize(2);
        List<AuditEvent> events = first.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
        assertThat(events.get(0).getRecorded()).isAfterOrEqualTo(events.get(1).getRecorded());
        assertThat(Long.parseLong(events.get(0).getIdElement().getIdPart()))
                .isGreaterThan(Long.parseLong(events.get(1).getIdElement().getIdPart()));
        // the newest is the Patient search: a query, subtype search-type, the patient as entity
        AuditEvent newest = events.get(0);
        assertThat(newest.getType().getSystem()).isEqualTo("http://dicom.nema.org/resources/ontology/DCM");
        assertThat(newest.getType().getCode()).isEqualTo("110112");
        assertThat(newest.getSubtype()).extracting(Coding::getCode).contains("search-type");
        assertThat(newest.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(newest.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(newest.getAgent()).hasSizeGreaterThanOrEqualTo(2).anyMatch(AuditEvent.AuditEventAgentComponent::getRequestor);
        assertThat(newest.getSource().getObserver().hasIdentifier() || newest.getSource().getObserver().hasDisplay()).isTrue();
        assertThat(newest.getEntity()).anyMatch(e -> e.getWhat().getIdentifier().getValue() != null
                && e.getWhat().getIdentifier().getValue().equals(BSN) && "1".equals(e.getRole().getCode()));
        assertThat(events.get(1).getSubtype()).extracting(Coding::getCode).contains("read");

        // the first AuditEvent search was put on record meanwhile (newest): the next page starts one later
        Bundle second = auditEvents("patient=" + BSN + "&_count=2&_offset=2");
        assertThat(second.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(events.get(1).getIdElement().getIdPart());
        assertThat(second.getEntry()).allSatisfy(e -> assertThat(Long.parseLong(e.getResource().getIdElement().getIdPart()))
                .isLessThanOrEqualTo(Long.parseLong(events.get(1).getIdElement().getIdPart())));

        // the first AuditEvent search is on record, naming the patient: the next search sees it, newest first
        Bundle afterwards = auditEvents("patient.identifier=http://fhir.nl/fhir/NamingSystem/bsn|" + BSN + "&_count=1");
        assertThat(afterwards.getTotal()).isGreaterThan((int) total);
        AuditEvent auditSearch = (AuditEvent) afterwards.getEntryFirstRep().getResource();
        assertThat(auditSearch.getSubtype()).extracting(Coding::getCode).contains("search-type");
        assertThat(auditSearch.getEntity()).anyMatch(e -> e.hasQuery()
                && new String(e.getQuery(), java.nio.charset.StandardCharsets.UTF_8).contains("AuditEvent"));

        assertThat(auditEvents("patient=" + BSN + "&date=ge2000-01-01&_count=1").getTotal()).isPositive();
        assertThat(auditEvents("patient=" + BSN + "&date=ge2999-01-01").getTotal()).isZero();
        assertThat(auditEvents("patient=" + BSN + "&date=lt2000-01-01").getTotal()).isZero();
        assertThat(auditEvents("patient=" + UNKNOWN_PATIENT).getTotal()).isZero();
        assertThat(auditEvents("date=ge2000-01-01&_count=3").getEntry()).hasSize(3);

        assertThat(send("GET", "AuditEvent?patient=123456789", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "AuditEvent?agent=00001234", null).statusCode()).isEqualTo(400);
        assertThat(send("GET", "AuditEvent?_count=51", null).statusCode()).isEqualTo(400);
        assertThat(send("POST", "AuditEvent", "{\"resourceType\":\"AuditEvent\"}").statusCode()).isEqualTo(405);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Consent consent() {
        Consent consent = new Consent();
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(new Coding(ConsentMapper.CONSENT_SCOPE, "patient-privacy", null)));
        consent.addCategory(new CodeableConcept(new Coding(ConsentMapper.LOINC, ConsentMapper.PATIENT_CONSENT, null)));
        consent.setPatient(new Reference().setIdentifier(new Identifier().setSystem(FhirNaming.BSN).setValue(BSN)));
        consent.setDateTimeElement(new DateTimeType("2026-03-01T10:00:00Z"));
        consent.addPolicy().setUri(ConsentMapper.POLICY);
        Consent.ProvisionComponent permit = consent.getProvision().addProvision().setType(Consent.ConsentProvisionType.PERMIT);
        permit.addActor().setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                .setReference(new Reference().setType("Organization").setIdentifier(new Identifier().setSystem(FhirNaming.URA).setValue("00001234")));
        permit.addPurpose(new Coding(ConsentMapper.ACT_REASON, "TREAT", null));
        permit.getPeriod().setStart(Date.from(java.time.Instant.parse("2026-01-01T00:00:00Z")))
                .setEnd(Date.from(java.time.Instant.parse("2027-01-01T00:00:00Z")));
        permit.addClass_(new Coding(ConsentMapper.RESOURCE_TYPES, "ImagingStudy", null));
        Consent.ProvisionComponent deny = consent.getProvision().addProvision().setType(Consent.ConsentProvisionType.DENY);
        deny.addActor().setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                .setReference(new Reference().setType("Group").setIdentifier(new Identifier().setSystem(ConsentMapper.ORGANISATION_TYPE).setValue("ai-platform")));
        deny.addPurpose(new Coding(ConsentMapper.PROJECT_PURPOSE, "AI", null));
        deny.addClass_(new Coding(ConsentMapper.RESOURCE_TYPES, "DocumentReference", null));
        deny.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE).setReference(new Reference().setType("ImagingStudy")
                .setIdentifier(new Identifier().setSystem(FhirNaming.DICOM_UID).setValue("urn:oid:" + STUDY_UID)));
        return consent;
    }

    /** The returned Consent means what was sent (the stored record is the same). */
    private static void assertSameContent(Consent returned, Consent sent) {
        ConsentMapper mapper = new ConsentMapper();
        var a = mapper.toRecord(returned, "x");
        var b = mapper.toRecord(sent, "x");
        assertThat(a.patient()).isEqualTo(b.patient());
        assertThat(a.dateTime()).isEqualTo(b.dateTime());
        assertThat(new java.util.HashSet<>(a.provisions())).isEqualTo(new java.util.HashSet<>(b.provisions()));
        assertThat(returned.getPatient().getReference()).isEqualTo("Patient/" + BSN);
        assertThat(returned.getScope().getCodingFirstRep().getCode()).isEqualTo("patient-privacy");
        assertThat(returned.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("59284-0");
    }

    private void refused(Consumer<Consent> spoil, int status, String diagnostics) throws Exception {
        Consent consent = consent();
        spoil.accept(consent);
        HttpResponse<String> response = send("POST", "Consent", json.encodeResourceToString(consent));
        assertThat(response.statusCode()).as(diagnostics + ": " + response.body()).isEqualTo(status);
        assertThat(outcome(response).getIssueFirstRep().getDiagnostics()).contains(diagnostics);
    }

    private List<String> searchIds(String query) throws Exception {
        HttpResponse<String> response = send("GET", "Consent?" + query, null);
        assertThat(response.statusCode()).as(query).isEqualTo(200);
        Bundle bundle = json.parseResource(Bundle.class, response.body());
        R4Validation.assertValid(bundle);
        return bundle.getEntry().stream().map(e -> {
            R4Validation.assertValid(e.getResource());
            return e.getResource().getIdElement().getIdPart();
        }).toList();
    }

    private Bundle auditEvents(String query) throws Exception {
        HttpResponse<String> response = send("GET", "AuditEvent?" + query, null);
        assertThat(response.statusCode()).as(query + ": " + response.body()).isEqualTo(200);
        Bundle bundle = json.parseResource(Bundle.class, response.body());
        R4Validation.assertValid(bundle);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertThat(entry.getResource()).isInstanceOf(AuditEvent.class);
            R4Validation.assertValid(entry.getResource());
        }
        return bundle;
    }

    private Consent consentOf(HttpResponse<String> response) {
        Consent consent = json.parseResource(Consent.class, response.body());
        R4Validation.assertValid(consent);
        return consent;
    }

    private OperationOutcome outcome(HttpResponse<String> response) {
        OperationOutcome outcome = json.parseResource(OperationOutcome.class, response.body());
        R4Validation.assertValid(outcome);
        return outcome;
    }

    private long consentRows() {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select (select count(*) from consent) + (select count(*) from consent_provision)");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/" + path.replace("|", "%7C")))
                .header("Accept", "application/fhir+json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/fhir+json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
