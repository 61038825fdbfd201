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
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetAssociationsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;

import java.util.List;

import static nl.beeldbrug.conformance.support.Xds.assertFailure;
import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.countFor;
import static nl.beeldbrug.conformance.support.Xds.leafClass;
import static org.assertj.core.api.Assertions.assertThat;

/** ITI-62 Delete Document Set (Remove Metadata): all referenced objects or none. */
@ExtendWith(SharedGateway.class)
class Iti62DeleteIT {

    private static final String PATIENT = Patients.demo(8);

    private static XdsClient client;
    private static Registry registry;

    @BeforeAll
    static void connect(XdsClient xds) {
        client = xds;
        registry = new Registry(xds);
    }

    private static RemoveMetadata remove(String... uuids) {
        RemoveMetadata request = new RemoveMetadata();
        for (String uuid : uuids) {
            request.getReferences().add(new ObjectReference(uuid));
        }
        return request;
    }

    /** Entry UUIDs of the associations that have one of these objects as source or target (GetAssociations). */
    private static List<String> associationsOf(String... uuids) {
        GetAssociationsQuery query = new GetAssociationsQuery();
        query.setUuids(List.of(uuids));
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        return response.getAssociations().stream().map(Association::getEntryUuid).toList();
    }

    @Test
    void deletesADocumentEntryWithItsSubmissionSet() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        int before = countFor(client, PATIENT);

        assertSuccess(client.delete(remove(entry.getEntryUuid(), submission.associations().get(0).getEntryUuid(),
                submission.submissionSet().getEntryUuid())));

        registry.assertNothingStored(submission);
        assertThat(countFor(client, PATIENT)).isEqualTo(before - 2);
        assertThat(associationsOf(entry.getEntryUuid(), submission.submissionSet().getEntryUuid())).isEmpty();
    }

    @Test
    void deletesOneOfTwoDocumentsOfASubmissionSet() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry gone = submission.registryEntry();
        DocumentEntry kept = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        int before = countFor(client, PATIENT);

        assertSuccess(client.delete(remove(gone.getEntryUuid(), submission.associations().get(0).getEntryUuid())));

        assertThat(registry.documentsByUniqueId(gone.getUniqueId())).isEmpty();
        assertThat(registry.documentsByUniqueId(kept.getUniqueId())).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before - 1);
        assertThat(associationsOf(submission.submissionSet().getEntryUuid()))
                .containsExactly(submission.associations().get(1).getEntryUuid());
    }

    @Test
    void leavingTheSubmissionSetWithoutMembersIsXdsUnreferencedObjectException() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        int before = countFor(client, PATIENT);

        Response response = client.delete(remove(entry.getEntryUuid(), submission.associations().get(0).getEntryUuid()));

        assertFailure(response, ErrorCode.UNREFERENCED_OBJECT_EXCEPTION);
        assertThat(response.getErrors().get(0).getLocation()).isEqualTo(submission.submissionSet().getEntryUuid());
        assertThat(registry.documentsByUniqueId(entry.getUniqueId())).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void deletesAFolderWithItsMemberships() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        Folder folder = submission.folder();
        submission.addToFolder(folder.getEntryUuid(), entry.getEntryUuid());
        assertSuccess(client.register(submission.register()));
        int before = countFor(client, PATIENT);
        // folder: its SubmissionSet membership, the folder's HasMember of the document, and the SS membership of that one
        List<String> uuids = new java.util.ArrayList<>(List.of(folder.getEntryUuid()));
        submission.associations().stream()
                .filter(a -> !a.getTargetUuid().equals(entry.getEntryUuid()) || a.getSourceUuid().equals(folder.getEntryUuid()))
                .forEach(a -> uuids.add(a.getEntryUuid()));

        assertSuccess(client.delete(remove(uuids.toArray(String[]::new))));

        GetFoldersQuery query = new GetFoldersQuery();
        query.setUniqueIds(List.of(folder.getUniqueId()));
        QueryResponse folders = client.query(leafClass(query));
        assertSuccess(folders);
        assertThat(folders.getFolders()).isEmpty();
        assertThat(registry.documentsByUniqueId(entry.getUniqueId())).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before - 1);
        assertThat(associationsOf(entry.getEntryUuid())).containsExactly(submission.associations().get(0).getEntryUuid());
    }

    @Test
    void objectStillReferencedIsReferencesExistException() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        int before = countFor(client, PATIENT);

        Response response = client.delete(remove(entry.getEntryUuid()));

        assertFailure(response, ErrorCode.REFERENCE_EXISTS_EXCEPTION);
        assertThat(response.getErrors().get(0).getLocation()).isEqualTo(entry.getEntryUuid());
        assertThat(registry.documentsByUniqueId(entry.getUniqueId())).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void unknownEntryUuidIsUnresolvedReferenceExceptionAndNothingIsDeleted() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        int before = countFor(client, PATIENT);
        String unknown = Submission.uuid();

        Response response = client.delete(remove(entry.getEntryUuid(), submission.associations().get(0).getEntryUuid(), unknown));

        assertFailure(response, ErrorCode.UNRESOLVED_REFERENCE_EXCEPTION);
        assertThat(response.getErrors().get(0).getLocation()).isEqualTo(unknown);
        assertThat(registry.documentsByUniqueId(entry.getUniqueId())).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }
}
