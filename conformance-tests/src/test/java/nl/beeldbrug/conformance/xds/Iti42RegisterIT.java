package nl.beeldbrug.conformance.xds;

import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.Registry;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFolderAndContentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFoldersForDocumentQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetRelatedDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetSubmissionSetAndContentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;

import java.util.List;

import static nl.beeldbrug.conformance.support.Xds.assertFailure;
import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.countFor;
import static nl.beeldbrug.conformance.support.Xds.leafClass;
import static org.assertj.core.api.Assertions.assertThat;

/** ITI-42 Register Document Set-b: registry-only entries, symbolic ids, document relationships, refusals. */
@ExtendWith(SharedGateway.class)
class Iti42RegisterIT {

    private static final String PATIENT = Patients.demo(3);

    private static XdsClient client;
    private static Registry registry;

    @BeforeAll
    static void connect(XdsClient xds) {
        client = xds;
        registry = new Registry(xds);
    }

    private static DocumentEntry registered() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        return entry;
    }

    private static List<String> findDocuments(AvailabilityStatus status) {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(status));
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        return response.getDocumentEntries().stream().map(DocumentEntry::getUniqueId).toList();
    }

    @Test
    void registersARegistryOnlyEntry() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();

        assertSuccess(client.register(submission.register()));

        assertThat(countFor(client, PATIENT)).as("submission set and document entry").isEqualTo(before + 2);
        DocumentEntry stored = registry.document(entry.getUniqueId());
        assertThat(stored.getRepositoryUniqueId()).isEqualTo(Submission.REMOTE_REPOSITORY);
        assertThat(stored.getHash()).isEqualToIgnoringCase(entry.getHash());
        assertThat(stored.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
        assertThat(stored.getMimeType()).isEqualTo("application/dicom");
    }

    @Test
    void symbolicIdsAreReplacedByUuids() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        submission.submissionSet().setEntryUuid("SubmissionSet01");
        entry.setEntryUuid("Document01");
        Association membership = submission.associations().get(0);
        membership.setEntryUuid("Association01");
        membership.setSourceUuid("SubmissionSet01");
        membership.setTargetUuid("Document01");

        assertSuccess(client.register(submission.register()));

        GetSubmissionSetAndContentsQuery query = new GetSubmissionSetAndContentsQuery();
        query.setUniqueId(submission.submissionSet().getUniqueId());
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        assertThat(response.getSubmissionSets()).hasSize(1);
        assertThat(response.getDocumentEntries()).hasSize(1);
        assertThat(response.getAssociations()).hasSize(1);
        String setUuid = response.getSubmissionSets().get(0).getEntryUuid();
        String docUuid = response.getDocumentEntries().get(0).getEntryUuid();
        Association stored = response.getAssociations().get(0);
        assertThat(List.of(setUuid, docUuid, stored.getEntryUuid())).allMatch(u -> u.matches("urn:uuid:[0-9a-f-]{36}"));
        assertThat(stored.getSourceUuid()).isEqualTo(setUuid);
        assertThat(stored.getTargetUuid()).isEqualTo(docUuid);
        assertThat(response.getDocumentEntries().get(0).getUniqueId()).isEqualTo(entry.getUniqueId());
    }

    @Test
    void replaceDeprecatesTheOriginal() {
        DocumentEntry original = registered();
        Submission replacement = Submission.forPatient(PATIENT);
        DocumentEntry successor = replacement.registryEntry();
        replacement.relate(AssociationType.REPLACE, successor.getEntryUuid(), original.getEntryUuid());

        assertSuccess(client.register(replacement.register()));

        assertThat(findDocuments(AvailabilityStatus.APPROVED)).contains(successor.getUniqueId()).doesNotContain(original.getUniqueId());
        assertThat(findDocuments(AvailabilityStatus.DEPRECATED)).contains(original.getUniqueId()).doesNotContain(successor.getUniqueId());
        assertThat(registry.document(original.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.DEPRECATED);
        assertThat(relatedTo(original, AssociationType.REPLACE)).containsExactly(successor.getUniqueId());
    }

    @Test
    void appendTransformAndSignsKeepTheOriginalApproved() {
        DocumentEntry original = registered();
        for (AssociationType type : List.of(AssociationType.APPEND, AssociationType.TRANSFORM, AssociationType.SIGNS)) {
            Submission related = Submission.forPatient(PATIENT);
            DocumentEntry addition = related.registryEntry();
            related.relate(type, addition.getEntryUuid(), original.getEntryUuid());

            assertSuccess(client.register(related.register()));

            assertThat(registry.document(original.getUniqueId()).getAvailabilityStatus()).as(type.toString())
                    .isEqualTo(AvailabilityStatus.APPROVED);
            assertThat(registry.document(addition.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
            assertThat(relatedTo(original, type)).as(type.toString()).containsExactly(addition.getUniqueId());
        }
    }

    @Test
    void transformAndReplaceDeprecatesTheOriginal() {
        DocumentEntry original = registered();
        Submission transform = Submission.forPatient(PATIENT);
        DocumentEntry successor = transform.registryEntry();
        transform.relate(AssociationType.TRANSFORM_AND_REPLACE, successor.getEntryUuid(), original.getEntryUuid());

        assertSuccess(client.register(transform.register()));

        assertThat(registry.document(original.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.DEPRECATED);
        assertThat(registry.document(successor.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
    }

    private static List<String> relatedTo(DocumentEntry original, AssociationType type) {
        GetRelatedDocumentsQuery query = new GetRelatedDocumentsQuery();
        query.setUniqueId(original.getUniqueId());
        query.setAssociationTypes(List.of(type));
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        return response.getDocumentEntries().stream().map(DocumentEntry::getUniqueId)
                .filter(u -> !u.equals(original.getUniqueId())).toList();
    }

    @Test
    void replacingADeprecatedDocumentIsRefused() {
        DocumentEntry original = registered();
        Submission first = Submission.forPatient(PATIENT);
        first.relate(AssociationType.REPLACE, first.registryEntry().getEntryUuid(), original.getEntryUuid());
        assertSuccess(client.register(first.register()));
        int before = countFor(client, PATIENT);

        Submission second = Submission.forPatient(PATIENT);
        second.relate(AssociationType.REPLACE, second.registryEntry().getEntryUuid(), original.getEntryUuid());

        assertFailure(client.register(second.register()), ErrorCode.REGISTRY_DEPRECATED_DOCUMENT_ERROR);
        registry.assertNothingStored(second);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void relationshipToAnUnknownDocumentIsARegistryMetadataError() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        submission.relate(AssociationType.APPEND, submission.registryEntry().getEntryUuid(), Submission.uuid());

        assertFailure(client.register(submission.register()), ErrorCode.REGISTRY_METADATA_ERROR);
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void relationshipToADocumentOfAnotherPatientIsXdsPatientIdDoesNotMatch() {
        Submission other = Submission.forPatient(Patients.demo(4));
        DocumentEntry foreign = other.registryEntry();
        assertSuccess(client.register(other.register()));
        int before = countFor(client, PATIENT);

        Submission submission = Submission.forPatient(PATIENT);
        submission.relate(AssociationType.REPLACE, submission.registryEntry().getEntryUuid(), foreign.getEntryUuid());

        assertFailure(client.register(submission.register()), ErrorCode.PATIENT_ID_DOES_NOT_MATCH);
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
        assertThat(registry.document(foreign.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
    }

    @Test
    void documentOfAnotherPatientThanTheSubmissionSetIsXdsPatientIdDoesNotMatch() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        submission.registryEntry().setPatientId(Submission.patientId(Patients.demo(4)));

        assertFailure(client.register(submission.register()), ErrorCode.PATIENT_ID_DOES_NOT_MATCH);
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void reusedSubmissionSetUniqueIdIsXdsDuplicateUniqueIdInRegistry() {
        Submission first = Submission.forPatient(PATIENT);
        first.registryEntry();
        assertSuccess(client.register(first.register()));
        int before = countFor(client, PATIENT);

        Submission second = Submission.forPatient(PATIENT);
        second.submissionSet().setUniqueId(first.submissionSet().getUniqueId());
        DocumentEntry entry = second.registryEntry();

        assertFailure(client.register(second.register()), ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY);
        assertThat(registry.documentsByUniqueId(entry.getUniqueId())).isEmpty();
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void unknownAndInvalidPatientsAreXdsUnknownPatientId() {
        for (String bsn : List.of(Patients.validButUnknown(), Patients.invalid())) {
            Submission submission = Submission.forPatient(bsn);
            submission.registryEntry();

            assertFailure(client.register(submission.register()), ErrorCode.UNKNOWN_PATIENT_ID);
            registry.assertNothingStored(submission);
        }
    }

    @Test
    void missingHashIsRefusedWithAMetadataError() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        submission.registryEntry().setHash(null);

        assertFailure(client.register(submission.register()), ErrorCode.REGISTRY_METADATA_ERROR);
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void statusOfStoredObjectsIsApprovedWhateverTheSubmitterSays() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        entry.setAvailabilityStatus(AvailabilityStatus.DEPRECATED);

        assertSuccess(client.register(submission.register()));

        XDSMetaClass stored = registry.document(entry.getUniqueId());
        assertThat(stored.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
    }

    @Test
    void addsARegisteredDocumentToARegisteredFolder() {
        Submission first = Submission.forPatient(PATIENT);
        DocumentEntry entry = first.registryEntry();
        Folder folder = first.folder();
        assertSuccess(client.register(first.register()));
        Folder before = folderAndContents(folder).getFolders().get(0);

        Submission second = Submission.forPatient(PATIENT);
        Association membership = second.addToFolder(folder.getEntryUuid(), entry.getEntryUuid());
        assertSuccess(client.register(second.register()));

        QueryResponse contents = folderAndContents(folder);
        assertThat(contents.getDocumentEntries()).extracting(DocumentEntry::getEntryUuid).containsExactly(entry.getEntryUuid());
        assertThat(contents.getAssociations()).extracting(Association::getEntryUuid).contains(membership.getEntryUuid());
        assertThat(contents.getFolders().get(0).getLastUpdateTime().getDateTime())
                .isAfterOrEqualTo(before.getLastUpdateTime().getDateTime());
    }

    @Test
    void aReplacementJoinsTheFoldersOfTheOriginal() {
        Submission first = Submission.forPatient(PATIENT);
        DocumentEntry original = first.registryEntry();
        Folder folder = first.folder();
        first.addToFolder(folder.getEntryUuid(), original.getEntryUuid());
        assertSuccess(client.register(first.register()));

        Submission replacement = Submission.forPatient(PATIENT);
        DocumentEntry successor = replacement.registryEntry();
        replacement.relate(AssociationType.REPLACE, successor.getEntryUuid(), original.getEntryUuid());
        assertSuccess(client.register(replacement.register()));

        GetFoldersForDocumentQuery query = new GetFoldersForDocumentQuery();
        query.setUuid(successor.getEntryUuid());
        QueryResponse folders = client.query(leafClass(query));
        assertSuccess(folders);
        assertThat(folders.getFolders()).extracting(Folder::getEntryUuid).containsExactly(folder.getEntryUuid());
    }

    @Test
    void addingToAnUnknownFolderIsARegistryMetadataError() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        submission.addToFolder(Submission.uuid(), entry.getEntryUuid());

        assertFailure(client.register(submission.register()), ErrorCode.REGISTRY_METADATA_ERROR);
        registry.assertNothingStored(submission);
    }

    @Test
    void identicalResubmissionIsAnsweredWithoutADuplicate() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        int after = countFor(client, PATIENT);

        assertSuccess(client.register(submission.register()));

        assertThat(countFor(client, PATIENT)).isEqualTo(after);
        assertThat(registry.documentsByUniqueId(entry.getUniqueId())).hasSize(1);
    }

    @Test
    void sameUniqueIdTwiceInOneSubmissionIsRefused() {
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry first = submission.registryEntry();
        submission.registryEntry().setUniqueId(first.getUniqueId());

        Response response = client.register(submission.register());

        assertFailure(response, ErrorCode.REGISTRY_DUPLICATE_UNIQUE_ID_IN_MESSAGE);
        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void sameUniqueIdWithAnotherHashIsXdsNonIdenticalHash() {
        DocumentEntry original = registered();
        int before = countFor(client, PATIENT);
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry clash = submission.registryEntry();
        clash.setUniqueId(original.getUniqueId());

        assertFailure(client.register(submission.register()), ErrorCode.NON_IDENTICAL_HASH);
        assertThat(registry.documentsByUniqueId(original.getUniqueId())).singleElement()
                .satisfies(e -> assertThat(e.getHash()).isEqualToIgnoringCase(original.getHash()));
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    private static QueryResponse folderAndContents(Folder folder) {
        GetFolderAndContentsQuery query = new GetFolderAndContentsQuery();
        query.setUuid(folder.getEntryUuid());
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        assertThat(response.getFolders()).hasSize(1);
        return response;
    }
}
