package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.testing.FreshDatabase;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.apache.camel.ProducerTemplate;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindSubmissionSetsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryList;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static nl.beeldbrug.registry.testing.SampleMetadata.STUDY_START;
import static nl.beeldbrug.registry.testing.SampleMetadata.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The MHD face in-process over loopback, against the XDS face of the same store: a seeded random set
 * of ITI-41 submissions (IPF producer), some replaced (RPLC → Deprecated), is found alike by ITI-18
 * and ITI-67 (HAPI generic client, every page, every answer validated against R4 and MHD 4.2.1);
 * ITI-66 lists the submission sets ITI-18 finds; ITI-68 returns ITI-43's bytes.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.fhir.max-page-size=50"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MhdGatewayIT {

    private static final long SEED = 20261129L;
    private static final int SUBMISSIONS = 14;

    @DynamicPropertySource
    static void freshDatabase(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-mhd-postgres");
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
    private final List<String> studies = new ArrayList<>();
    private IGenericClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    String fhirBase() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    String xds(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port + "/services/" + path + "?audit=false";
    }

    @BeforeAll
    void registerRandomSubmissions() {
        Database.inTransaction(dataSource, c -> patients.add(c, a.bsn()) && patients.add(c, b.bsn()));
        Random random = new Random(SEED);
        for (int i = 0; i < SUBMISSIONS; i++) {
            SampleMetadata sample = random.nextInt(4) == 0 ? b : a;
            String uid = SampleMetadata.newUid();
            if (sample == a) {
                studies.add(uid); // patient A's studies
            }
            List<DocumentEntry> entries = new ArrayList<>();
            entries.add(varied(sample.kos(uid), uid, random));
            if (random.nextBoolean()) {
                entries.add(varied(sample.report(uid), uid, random));
            }
            SubmissionSet set = sample.submissionSet();
            set.setSubmissionTime(time(STUDY_START.plusDays(i)));
            ProvideAndRegisterDocumentSet request = sample.provideAndRegister(set, entries.toArray(DocumentEntry[]::new));
            if (random.nextInt(3) == 0) {
                RegisterDocumentSet registration = new RegisterDocumentSet();
                registration.setSubmissionSet(set);
                registration.getAssociations().addAll(request.getAssociations());
                sample.addFolder(registration, entries.get(0));
                request.getFolders().addAll(registration.getFolders());
                request.getAssociations().clear();
                request.getAssociations().addAll(registration.getAssociations());
            }
            provide(request);
        }
        // replace the documents of patient A's first study: the originals become Deprecated
        List<DocumentEntry> registered = findDocuments(a, null).stream()
                .filter(e -> e.getReferenceIdList().stream().anyMatch(r -> r.getId().equals(studies.get(0)))).toList();
        for (DocumentEntry old : registered) {
            DocumentEntry replacement = a.report(studies.get(0));
            SubmissionSet set = a.submissionSet();
            ProvideAndRegisterDocumentSet request = a.provideAndRegister(set, replacement);
            request.getAssociations().add(a.association(AssociationType.REPLACE, replacement.getEntryUuid(), old.getEntryUuid()));
            provide(request);
        }
        FhirContext context = FhirContext.forR4Cached();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = context.newRestfulGenericClient(fhirBase());
    }

    private static DocumentEntry varied(DocumentEntry entry, String uid, Random random) {
        entry.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        entry.getReferenceIdList().add(0, new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.setCreationTime(time(STUDY_START.minusDays(random.nextInt(60)).plusMinutes(random.nextInt(600))));
        entry.setServiceStartTime(time(STUDY_START.minusDays(random.nextInt(60))));
        entry.setServiceStopTime((org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp) null);
        if (random.nextInt(3) == 0) {
            entry.getEventCodeList().clear();
            entry.getEventCodeList().add(SampleMetadata.MODALITY_MR);
            entry.getEventCodeList().add(SampleMetadata.REGION_HEAD);
        }
        if (random.nextInt(4) == 0) {
            entry.getConfidentialityCodes().clear();
            entry.getConfidentialityCodes().add(SampleMetadata.CONFIDENTIALITY_RESTRICTED);
        }
        return entry;
    }

    private void provide(ProvideAndRegisterDocumentSet request) {
        Response response = producer.requestBody(xds("xds-iti41", "repository/iti41"), request, Response.class);
        assertThat(response.getStatus()).as("ITI-41 %s", response.getErrors()).isEqualTo(Status.SUCCESS);
    }

    private List<DocumentEntry> findDocuments(SampleMetadata patient, Consumer<FindDocumentsQuery> narrow) {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(patient.patientId());
        query.setStatus(List.of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED));
        if (narrow != null) {
            narrow.accept(query);
        }
        QueryResponse response = producer.requestBody(xds("xds-iti18", "registry/iti18"),
                new QueryRegistry(query, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(response.getStatus()).isEqualTo(Status.SUCCESS);
        return response.getDocumentEntries();
    }

    /** entryUUID → FHIR status, as ITI-18 answers. */
    private static Map<String, String> statusByUuid(List<DocumentEntry> entries) {
        return entries.stream().collect(Collectors.toMap(DocumentEntry::getEntryUuid,
                e -> e.getAvailabilityStatus() == AvailabilityStatus.APPROVED ? "current" : "superseded"));
    }

    /** Every DocumentReference of an ITI-67 search, following the next links; each page validated. */
    private List<DocumentReference> iti67(String query) {
        Bundle bundle = client.search().byUrl("DocumentReference?" + query).returnBundle(Bundle.class).execute();
        List<DocumentReference> result = new ArrayList<>();
        while (true) {
            MhdValidation.assertValid(bundle, MhdNaming.FIND_DOCUMENT_REFERENCES_RESPONSE);
            bundle.getEntry().forEach(e -> result.add((DocumentReference) e.getResource()));
            if (bundle.getLink(Bundle.LINK_NEXT) == null) {
                return result;
            }
            bundle = client.loadPage().next(bundle).execute();
        }
    }

    private static Map<String, String> statusByUuidOf(List<DocumentReference> docs) {
        Map<String, String> map = new LinkedHashMap<>();
        docs.forEach(d -> map.put("urn:uuid:" + d.getIdElement().getIdPart(), d.getStatus().toCode()));
        return map;
    }

    @Test
    void iti67FindsWhatIti18FindsOverSeveralPages() {
        List<DocumentEntry> xds = findDocuments(a, null);
        assertThat(xds).hasSizeGreaterThan(8);
        assertThat(xds).anyMatch(e -> e.getAvailabilityStatus() == AvailabilityStatus.DEPRECATED);
        Bundle first = client.search().byUrl("DocumentReference?patient=Patient/" + a.bsn().value() + "&_count=4")
                .returnBundle(Bundle.class).execute();
        assertThat(first.getTotal()).isEqualTo(xds.size());
        assertThat(first.getLink(Bundle.LINK_NEXT).getUrl()).contains("_offset=4");

        List<DocumentReference> mhd = iti67("patient=Patient/" + a.bsn().value() + "&_count=4");
        assertThat(mhd).hasSize(xds.size());
        assertThat(statusByUuidOf(mhd)).isEqualTo(statusByUuid(xds));
        // the BSN as identifier, in each form
        assertThat(statusByUuidOf(iti67("patient.identifier=" + FhirNaming.BSN + "|" + a.bsn().value() + "&_count=50")))
                .isEqualTo(statusByUuid(xds));
        assertThat(statusByUuidOf(iti67("patient:identifier=" + FhirNaming.BSN + "|" + a.bsn().value() + "&_count=50")))
                .isEqualTo(statusByUuid(xds));
        assertThat(statusByUuidOf(iti67("patient=" + b.bsn().value()))).isEqualTo(statusByUuid(findDocuments(b, null)));
    }

    @Test
    void eachParameterMeansWhatItMeansInIti18() {
        String patient = "patient=Patient/" + a.bsn().value() + "&_count=50";
        assertSame(patient + "&status=current", q -> q.setStatus(List.of(AvailabilityStatus.APPROVED)));
        assertSame(patient + "&status=superseded", q -> q.setStatus(List.of(AvailabilityStatus.DEPRECATED)));
        assertSame(patient + "&event=" + FhirNaming.DCM + "|MR", q -> q.setEventCodes(new QueryList<>(SampleMetadata.MODALITY_MR)));
        assertSame(patient + "&security-label=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|R",
                q -> q.setConfidentialityCodes(new QueryList<>(SampleMetadata.CONFIDENTIALITY_RESTRICTED)));
        assertSame(patient + "&type=http://loinc.org|18782-3", q -> q.setTypeCodes(List.of(SampleMetadata.TYPE_RADIOLOGY_REPORT)));
        assertSame(patient + "&format=urn:oid:1.2.840.10008.2.6.1|1.2.840.10008.5.1.4.1.1.88.59",
                q -> q.setFormatCodes(List.of(SampleMetadata.FORMAT_KOS)));
        assertSame(patient + "&category=" + FhirNaming.SNOMED + "|721981007&setting=" + FhirNaming.SNOMED + "|394914008"
                        + "&facility=" + FhirNaming.SNOMED + "|22232009",
                q -> {
                    q.setClassCodes(List.of(SampleMetadata.CLASS_IMAGING));
                    q.setPracticeSettingCodes(List.of(SampleMetadata.PRACTICE_RADIOLOGY));
                    q.setHealthcareFacilityTypeCodes(List.of(SampleMetadata.FACILITY_HOSPITAL));
                });
        String from = STUDY_START.minusDays(30).toLocalDate().toString();
        String to = STUDY_START.minusDays(10).toLocalDate().toString();
        assertSame(patient + "&creation=ge" + from + "&creation=lt" + to, q -> {
            q.getCreationTime().setFrom(time(STUDY_START.minusDays(30).toLocalDate().atStartOfDay(STUDY_START.getZone())));
            q.getCreationTime().setTo(time(STUDY_START.minusDays(10).toLocalDate().atStartOfDay(STUDY_START.getZone())));
        });
        assertSame(patient + "&period=ge" + from, q -> q.getServiceStopTime()
                .setFrom(time(STUDY_START.minusDays(30).toLocalDate().atStartOfDay(STUDY_START.getZone()))));
        assertSame(patient + "&author.family=Jansen&author.given=Pieter", q -> q.setAuthorPersons(List.of("%^Jansen^Pieter^%")));
        assertThat(iti67(patient + "&author.family=Nobody")).isEmpty();
        assertThat(iti67(patient + "&status=entered-in-error")).isEmpty();
    }

    private void assertSame(String iti67, Consumer<FindDocumentsQuery> iti18) {
        Map<String, String> expected = statusByUuid(findDocuments(a, iti18));
        assertThat(statusByUuidOf(iti67(iti67))).as(iti67).isEqualTo(expected);
    }

    @Test
    void kosAndReportLinkToTheirImagingStudyAndRelatedFindsThem() {
        String uid = studies.get(studies.size() - 1); // not replaced
        List<DocumentReference> related = iti67("patient=Patient/" + a.bsn().value() + "&related=ImagingStudy/" + uid);
        List<DocumentReference> byIdentifier = iti67("patient=Patient/" + a.bsn().value()
                + "&related:identifier=" + FhirNaming.DICOM_UID + "|urn:oid:" + uid);
        assertThat(related).isNotEmpty();
        assertThat(statusByUuidOf(byIdentifier)).isEqualTo(statusByUuidOf(related));
        QueryList<ReferenceId> ref = new QueryList<>(new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        var query = new org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsByReferenceIdQuery();
        query.setPatientId(a.patientId());
        query.setStatus(List.of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED));
        query.setTypedReferenceIds(ref);
        QueryResponse xds = producer.requestBody(xds("xds-iti18", "registry/iti18"),
                new QueryRegistry(query, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(statusByUuidOf(related)).isEqualTo(statusByUuid(xds.getDocumentEntries()));
        for (DocumentReference doc : related) {
            assertThat(doc.getContext().getRelated()).extracting(Reference::getReference).contains("ImagingStudy/" + uid);
        }
        ImagingStudy study = client.read().resource(ImagingStudy.class).withId(uid).execute();
        assertThat(study.getSubject().getReference()).isEqualTo("Patient/" + a.bsn().value());
    }

    @Test
    void readAndIdentifierSearchGiveTheSameResource() {
        DocumentReference any = iti67("patient=Patient/" + a.bsn().value()).get(0);
        DocumentReference read = client.read().resource(DocumentReference.class).withId(any.getIdElement().getIdPart()).execute();
        MhdValidation.assertValid(read, MhdNaming.COMPREHENSIVE_DOCUMENT_REFERENCE);
        assertThat(read.getMasterIdentifier().getValue()).isEqualTo(any.getMasterIdentifier().getValue());
        // the author, authenticator and source patient are contained resources behind local references ("#…"): the
        // answer carries them, and each reference resolves (HAPI links them when it parses)
        assertThat(read.getContained()).isNotEmpty();
        assertThat(read.getAuthor()).isNotEmpty()
                .allSatisfy(author -> assertThat(author.getResource()).as(author.getReference()).isNotNull());
        assertThat(read.getAuthenticator().getReference()).startsWith("#");
        assertThat(read.getAuthenticator().getResource()).isNotNull();
        assertThat(read.getContext().getSourcePatientInfo().getResource()).isNotNull();
        assertThat(iti67("identifier=" + read.getMasterIdentifier().getValue())).singleElement()
                .satisfies(d -> assertThat(d.getIdElement().getIdPart()).isEqualTo(read.getIdElement().getIdPart()));
        assertThat(iti67("identifier=urn:uuid:" + read.getIdElement().getIdPart() + "&patient=" + b.bsn().value())).isEmpty();
        assertThatThrownBy(() -> client.read().resource(DocumentReference.class).withId("00000000-0000-4000-8000-000000000000").execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void badSearchesAre400WithoutEchoingTheBsn() {
        assertThatThrownBy(() -> client.search().byUrl("DocumentReference?status=current").returnBundle(Bundle.class).execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("patient");
        assertThatThrownBy(() -> client.search().byUrl("DocumentReference?patient=123456789").returnBundle(Bundle.class).execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a valid BSN").hasMessageNotContaining("123456789");
        assertThatThrownBy(() -> client.search().byUrl("DocumentReference?patient=" + a.bsn().value() + "&event=MR")
                .returnBundle(Bundle.class).execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("event");
        assertThatThrownBy(() -> client.search().byUrl("List?patient=" + a.bsn().value() + "&code=other")
                .returnBundle(Bundle.class).execute())
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("code");
    }

    @Test
    void iti66ListsTheSubmissionSetsAndFoldersIti18Finds() {
        FindSubmissionSetsQuery query = new FindSubmissionSetsQuery();
        query.setPatientId(a.patientId());
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse xds = producer.requestBody(xds("xds-iti18", "registry/iti18"),
                new QueryRegistry(query, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        List<ListResource> sets = lists("patient=Patient/" + a.bsn().value() + "&code=submissionset&_count=5");
        assertThat(sets).extracting(l -> "urn:uuid:" + l.getIdElement().getIdPart())
                .containsExactlyInAnyOrderElementsOf(xds.getSubmissionSets().stream().map(SubmissionSet::getEntryUuid).toList());
        assertThat(sets).allSatisfy(l -> assertThat(l.getEntry()).isNotEmpty());
        List<ListResource> folders = lists("patient=Patient/" + a.bsn().value() + "&code=folder");
        folders.forEach(f -> MhdValidation.assertValid(f, MhdNaming.COMPREHENSIVE_FOLDER));
        ListResource read = client.read().resource(ListResource.class).withId(sets.get(0).getIdElement().getIdPart()).execute();
        MhdValidation.assertValid(read, MhdNaming.COMPREHENSIVE_SUBMISSION_SET);
        assertThat(read.getEntry()).hasSameSizeAs(sets.get(0).getEntry());
        // every member is a DocumentReference (or Folder) of the same patient
        String member = read.getEntry().get(0).getItem().getReference();
        assertThat(member).startsWith("DocumentReference/");
        DocumentReference doc = client.read().resource(DocumentReference.class).withId(member.substring("DocumentReference/".length())).execute();
        assertThat(doc.getSubject().getReference()).isEqualTo("Patient/" + a.bsn().value());
        assertThat(lists("patient=Patient/" + a.bsn().value() + "&code=submissionset&designationType="
                + FhirNaming.SNOMED + "|4201000179104")).hasSameSizeAs(sets);
        assertThat(lists("patient=Patient/" + a.bsn().value() + "&code=submissionset&sourceId=urn:oid:" + SampleMetadata.SOURCE_ID))
                .hasSameSizeAs(sets);
        assertThat(lists("patient=Patient/" + a.bsn().value() + "&code=submissionset&sourceId=urn:oid:1.2.3")).isEmpty();
    }

    private List<ListResource> lists(String query) {
        Bundle bundle = client.search().byUrl("List?" + query).returnBundle(Bundle.class).execute();
        List<ListResource> result = new ArrayList<>();
        while (true) {
            MhdValidation.assertValid(bundle, MhdNaming.FIND_DOCUMENT_LISTS_RESPONSE);
            bundle.getEntry().forEach(e -> result.add((ListResource) e.getResource()));
            if (bundle.getLink(Bundle.LINK_NEXT) == null) {
                return result;
            }
            bundle = client.loadPage().next(bundle).execute();
        }
    }

    @Test
    void iti68ReturnsTheBytesIti43ReturnsAndIsAudited() throws Exception {
        long before = auditStore.count();
        DocumentReference doc = iti67("patient=Patient/" + a.bsn().value() + "&format=urn:oid:1.2.840.10008.2.6.1|1.2.840.10008.5.1.4.1.1.88.59").get(0);
        String url = doc.getContentFirstRep().getAttachment().getUrl();
        assertThat(url).startsWith(fhirBase() + "/Binary/");
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/dicom"));

        String uniqueId = doc.getMasterIdentifier().getValue().substring("urn:oid:".length());
        RetrieveDocumentSet retrieve = new RetrieveDocumentSet();
        retrieve.getDocuments().add(new org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference(
                SampleMetadata.REPOSITORY_UNIQUE_ID, uniqueId, null));
        RetrievedDocumentSet xds = producer.requestBody(xds("xds-iti43", "repository/iti43"), retrieve, RetrievedDocumentSet.class);
        byte[] expected = xds.getDocuments().get(0).getDataHandler().getInputStream().readAllBytes();
        assertThat(response.body()).isEqualTo(expected);
        assertThat(response.body().length).isEqualTo(doc.getContentFirstRep().getAttachment().getSize());

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Binary/1.2.3.4.5.6.7"))
                .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("OperationOutcome");

        await().untilAsserted(() -> assertThat(auditStore.forPatient(a.bsn().value()))
                .anySatisfy(r -> {
                    assertThat(r.eventType()).isEqualTo("ITI-68");
                    assertThat(r.outcome()).isEqualTo("Success");
                    assertThat(r.message()).contains(uniqueId);
                })
                .anySatisfy(r -> assertThat(r.eventType()).isEqualTo("ITI-67")));
        assertThat(auditStore.count()).isGreaterThan(before);
    }

    @Test
    void iti66IsAudited() {
        lists("patient=Patient/" + b.bsn().value());
        await().untilAsserted(() -> assertThat(auditStore.forPatient(b.bsn().value()))
                .anySatisfy(r -> assertThat(r.eventType()).isEqualTo("ITI-66")));
    }

    @Test
    void capabilityStatementNamesTheMhdInteractions() {
        var capability = client.capabilities().ofType(org.hl7.fhir.r4.model.CapabilityStatement.class).execute();
        var resources = capability.getRestFirstRep().getResource().stream()
                .collect(Collectors.toMap(r -> r.getType(), r -> r));
        assertThat(resources).containsKeys("DocumentReference", "List", "Binary");
        assertThat(resources.get("DocumentReference").getSearchParam()).extracting(p -> p.getName())
                .contains("patient", "status", "creation", "date", "period", "event", "security-label", "related", "identifier");
        assertThat(resources.get("List").getSearchParam()).extracting(p -> p.getName())
                .contains("patient", "code", "designationType", "sourceId");
    }
}
