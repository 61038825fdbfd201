package nl.beeldbrug.conformance.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import nl.beeldbrug.conformance.support.Fhir;
import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.R4Validator;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * MHD over the packaged jar: a comprehensive ITI-65 Provide Document Bundle (SubmissionSet List,
 * DocumentReference, Binary) posted with HAPI's generic client is found by ITI-67 (DocumentReference
 * by the patient's BSN), its attachment url answers the same bytes (ITI-68), the submission set is an
 * ITI-66 List, and the same document is an XDS DocumentEntry for ITI-18 and part of its study in
 * FHIR ImagingStudy.
 */
@ExtendWith(SharedGateway.class)
class MhdRoundTripIT {

    private static final String PATIENT = Patients.demo(14);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static IGenericClient fhir;
    private static XdsClient xds;
    private static MhdBundles.Provided provided;
    private static Bundle response;

    @BeforeAll
    static void provide(Gateway gateway, XdsClient client) {
        fhir = Fhir.client(gateway);
        xds = client;
        byte[] content = ("Verslag MR knie links\nConclusie: geen afwijkingen (ë, €) " + UUID.randomUUID() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        provided = MhdBundles.report(PATIENT, Submission.uid(), "MHD-" + UUID.randomUUID().toString().substring(0, 8),
                Instant.parse("1988-03-04T10:00:00Z"), content);
        response = fhir.transaction().withBundle(provided.bundle()).execute();
    }

    @Test
    void iti65AnswersATransactionResponseWithEveryEntryCreated() {
        R4Validator.assertValid(response);
        assertThat(response.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
        assertThat(response.getEntry()).hasSize(provided.bundle().getEntry().size());
        assertThat(response.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
    }

    private static DocumentReference findProvided() {
        Bundle found = fhir.search().forResource(DocumentReference.class)
                .where(DocumentReference.PATIENT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(Fhir.BSN, PATIENT)))
                .and(DocumentReference.STATUS.exactly().code("current"))
                .returnBundle(Bundle.class).execute();
        assertThat(found.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        List<DocumentReference> matching = found.getEntry().stream().map(e -> (DocumentReference) e.getResource())
                .filter(d -> ("urn:oid:" + provided.documentUniqueId()).equals(d.getMasterIdentifier().getValue()))
                .toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    @Test
    void iti67FindsItByTheBsnAndIti68ReturnsTheSameBytes() throws IOException, InterruptedException {
        DocumentReference doc = findProvided();
        R4Validator.assertValid(doc);
        assertThat(doc.getIdElement().getIdPart()).isEqualTo(provided.entryUuid());
        assertThat(doc.getSubject().getReference()).endsWith("Patient/" + PATIENT);
        assertThat(doc.getContentFirstRep().getAttachment().getContentType()).startsWith("text/plain");
        assertThat(doc.getContentFirstRep().getAttachment().getSize()).isEqualTo(provided.content().length);

        String url = doc.getContentFirstRep().getAttachment().getUrl();
        assertThat(url).startsWith("http://127.0.0.1:");
        HttpResponse<byte[]> retrieved = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(retrieved.statusCode()).isEqualTo(200);
        assertThat(retrieved.body()).isEqualTo(provided.content());
        assertThat(retrieved.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

        DocumentReference read = fhir.read().resource(DocumentReference.class).withId(provided.entryUuid()).execute();
        assertThat(read.getMasterIdentifier().getValue()).isEqualTo("urn:oid:" + provided.documentUniqueId());
    }

    @Test
    void iti66FindsTheSubmissionSet() {
        Bundle lists = fhir.search().forResource(ListResource.class)
                .where(ListResource.PATIENT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndIdentifier(Fhir.BSN, PATIENT)))
                .and(ListResource.CODE.exactly().systemAndCode("https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes", "submissionset"))
                .returnBundle(Bundle.class).execute();
        List<ListResource> sets = lists.getEntry().stream().map(e -> (ListResource) e.getResource())
                .filter(l -> l.getIdentifier().stream().anyMatch(i -> ("urn:oid:" + provided.submissionSetUniqueId()).equals(i.getValue())))
                .toList();
        assertThat(sets).hasSize(1);
        R4Validator.assertValid(sets.get(0));
    }

    @Test
    void theDocumentIsAnXdsDocumentEntryForIti18() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse answer = xds.query(new QueryRegistry(query, QueryReturnType.LEAF_CLASS));
        assertSuccess(answer);
        List<DocumentEntry> entries = answer.getDocumentEntries().stream()
                .filter(e -> provided.documentUniqueId().equals(e.getUniqueId())).toList();
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).getEntryUuid()).isEqualTo("urn:uuid:" + provided.entryUuid());
        assertThat(entries.get(0).getMimeType()).isEqualTo("text/plain");
        assertThat(entries.get(0).getHash()).isEqualTo(Submission.sha1(provided.content()));
    }

    @Test
    void theReportJoinsItsStudyInImagingStudy() {
        Bundle studies = fhir.search().forResource(ImagingStudy.class)
                .where(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(Fhir.DICOM_UID, "urn:oid:" + provided.studyUid()))
                .returnBundle(Bundle.class).execute();
        assertThat(studies.getTotal()).isEqualTo(1);
        ImagingStudy study = (ImagingStudy) studies.getEntryFirstRep().getResource();
        R4Validator.assertValid(study);
        assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.REGISTERED); // a report, no KOS yet
        assertThat(study.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);

        // and the study's search can bring the report along
        Bundle withReport = fhir.search().byUrl("ImagingStudy?identifier=" + java.net.URLEncoder.encode(Fhir.DICOM_UID + "|urn:oid:"
                + provided.studyUid(), StandardCharsets.UTF_8) + "&_revinclude=DocumentReference:related").returnBundle(Bundle.class).execute();
        R4Validator.assertValid(withReport);
        assertThat(withReport.getEntry()).filteredOn(e -> e.getSearch().getMode() == Bundle.SearchEntryMode.INCLUDE)
                .singleElement().satisfies(e -> assertThat(e.getResource().getIdElement().getIdPart()).isEqualTo(provided.entryUuid()));
    }
}
