package nl.beeldbrug.conformance.xds;

import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.RawSoap;
import nl.beeldbrug.conformance.support.Registry;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static nl.beeldbrug.conformance.support.Xds.assertFailure;
import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.countFor;
import static nl.beeldbrug.conformance.support.Xds.errorCodes;
import static org.assertj.core.api.Assertions.assertThat;

/** ITI-41 Provide and Register Document Set-b against the packaged gateway. */
@ExtendWith(SharedGateway.class)
class Iti41ProvideAndRegisterIT {

    private static final String PATIENT = Patients.demo(2);

    private static XdsClient client;
    private static Registry registry;

    @BeforeAll
    static void connect(XdsClient xds) {
        client = xds;
        registry = new Registry(xds);
    }

    @Test
    void storesAndRegistersADocument() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        byte[] content = "Verslag CT thorax: geen afwijkingen".getBytes(StandardCharsets.UTF_8);
        DocumentEntry entry = submission.document(content);
        entry.setHash(null); // the repository computes hash and size
        entry.setSize(null);

        assertSuccess(client.provideAndRegister(submission.provideAndRegister()));

        assertThat(countFor(client, PATIENT)).as("submission set and document entry").isEqualTo(before + 2);
        DocumentEntry stored = registry.document(entry.getUniqueId());
        assertThat(stored.getHash()).isEqualToIgnoringCase(Submission.sha1(content));
        assertThat(stored.getSize()).isEqualTo(content.length);
        assertThat(stored.getRepositoryUniqueId()).isEqualTo(Submission.REPOSITORY);
        assertThat(stored.getPatientId().getId()).isEqualTo(PATIENT);
        assertThat(stored.getEntryUuid()).isEqualTo(entry.getEntryUuid());
    }

    @Test
    void identicalResubmissionIsAnsweredWithoutADuplicate() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.document("Verslag MR knie");
        assertSuccess(client.provideAndRegister(submission.provideAndRegister()));
        int after = countFor(client, PATIENT);

        assertSuccess(client.provideAndRegister(submission.provideAndRegister()));

        assertThat(countFor(client, PATIENT)).as("objects after the retry").isEqualTo(after);
        assertThat(registry.documentsByUniqueId(entry.getUniqueId())).hasSize(1);
    }

    @Test
    void sameUniqueIdWithOtherContentIsXdsNonIdenticalHash() {
        Submission first = Submission.forPatient(PATIENT);
        DocumentEntry original = first.document("Verslag echo abdomen, versie 1");
        assertSuccess(client.provideAndRegister(first.provideAndRegister()));
        int before = countFor(client, PATIENT);

        Submission second = Submission.forPatient(PATIENT);
        DocumentEntry clash = second.document("Verslag echo abdomen, versie 2 (andere inhoud)");
        clash.setUniqueId(original.getUniqueId());

        assertFailure(client.provideAndRegister(second.provideAndRegister()), ErrorCode.NON_IDENTICAL_HASH);

        assertThat(countFor(client, PATIENT)).isEqualTo(before);
        assertThat(registry.document(original.getUniqueId()).getHash()).isEqualToIgnoringCase(original.getHash());
    }

    @Test
    void invalidBsnIsXdsUnknownPatientId() {
        assertRefusedForPatient(Submission.patientId(Patients.invalid()));
    }

    @Test
    void validBsnUnknownToTheRegistryIsXdsUnknownPatientId() {
        int before = countFor(client, Patients.validButUnknown());
        assertRefusedForPatient(Submission.patientId(Patients.validButUnknown()));
        assertThat(countFor(client, Patients.validButUnknown())).isEqualTo(before).isZero();
    }

    @Test
    void otherAssigningAuthorityIsXdsUnknownPatientId() {
        assertRefusedForPatient(new Identifiable(PATIENT, new AssigningAuthority("2.16.528.1.1007.3.3.12000001.2")));
    }

    private void assertRefusedForPatient(Identifiable patientId) {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(patientId);
        submission.document("Verslag X-thorax");

        assertFailure(client.provideAndRegister(submission.provideAndRegister()), ErrorCode.UNKNOWN_PATIENT_ID);

        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void missingClassCodeIsAMetadataError() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        submission.document("Verslag zonder classCode").setClassCode(null);

        Response response = client.provideAndRegister(submission.provideAndRegister());

        assertMetadataRefusal(response);
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void missingSubmissionSetPatientIdIsAMetadataError() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        submission.document("Verslag, submission set zonder patient");
        submission.submissionSet().setPatientId(null);

        Response response = client.provideAndRegister(submission.provideAndRegister());

        assertMetadataRefusal(response);
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    /** IPF's ITI-41 request validation answers for the repository actor: XDSRepositoryMetadataError. */
    private static void assertMetadataRefusal(Response response) {
        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(errorCodes(response)).containsOnly(ErrorCode.REPOSITORY_METADATA_ERROR.getOpcode());
    }

    @Test
    void documentAboveTheSizeLimitIsXdsRepositoryOutOfResources() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        byte[] big = new byte[SharedGateway.MAX_DOCUMENT_BYTES + 1];
        Arrays.fill(big, (byte) 'x');
        submission.document(big);

        assertFailure(client.provideAndRegister(submission.provideAndRegister()), ErrorCode.REPOSITORY_OUT_OF_RESOURCES);

        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void documentAtTheSizeLimitIsAccepted() {
        Submission submission = Submission.forPatient(PATIENT);
        byte[] exact = new byte[SharedGateway.MAX_DOCUMENT_BYTES];
        Arrays.fill(exact, (byte) 'y');
        DocumentEntry entry = submission.document(exact);

        assertSuccess(client.provideAndRegister(submission.provideAndRegister()));
        assertThat(registry.document(entry.getUniqueId()).getSize()).isEqualTo(exact.length);
    }

    @Test
    void hashNotMatchingTheContentIsXdsRepositoryMetadataError() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        submission.document("Verslag met verkeerde hash").setHash(Submission.sha1("iets anders".getBytes(StandardCharsets.UTF_8)));

        assertFailure(client.provideAndRegister(submission.provideAndRegister()), ErrorCode.REPOSITORY_METADATA_ERROR);

        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void sizeNotMatchingTheContentIsXdsRepositoryMetadataError() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.document("Verslag met verkeerde grootte");
        entry.setSize(entry.getSize() + 1);

        assertFailure(client.provideAndRegister(submission.provideAndRegister()), ErrorCode.REPOSITORY_METADATA_ERROR);
        registry.assertNothingStored(submission);
    }

    @Test
    void allOrNothingWhenOneOfTwoDocumentsIsRefused() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        submission.document("Eerste verslag, in orde");
        submission.document("Tweede verslag, verkeerde hash").setHash(Submission.sha1(new byte[]{1}));

        assertFailure(client.provideAndRegister(submission.provideAndRegister()), ErrorCode.REPOSITORY_METADATA_ERROR);

        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void documentEntryWithoutItsDocumentIsXdsMissingDocument(Gateway gateway) {
        // IPF's model cannot express this; the README sample without its xdsb:Document element can
        RawSoap.Iti41Sample sample = RawSoap.iti41Sample().forPatient(PATIENT);
        String withoutDocument = sample.xml().replaceAll("(?s)<xdsb:Document id=\"Document01\">.*?</xdsb:Document>", "");
        assertThat(withoutDocument).doesNotContain("<xdsb:Document ");
        int before = countFor(client, PATIENT);

        HttpResponse<String> response = RawSoap.post(gateway.endpoint("repository/iti41"), withoutDocument);

        assertThat(response.body()).contains("ResponseStatusType:Failure")
                .contains("errorCode=\"" + ErrorCode.MISSING_DOCUMENT.getOpcode() + "\"");
        assertThat(registry.documentsByUniqueId(sample.documentUniqueId())).isEmpty();
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void sameDocumentUniqueIdTwiceInOneSubmissionIsRefused() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry first = submission.document("Eerste");
        submission.document("Tweede").setUniqueId(first.getUniqueId());

        Response response = client.provideAndRegister(submission.provideAndRegister());

        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(errorCodes(response)).containsOnly(ErrorCode.REPOSITORY_DUPLICATE_UNIQUE_ID_IN_MESSAGE.getOpcode());
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }
}
