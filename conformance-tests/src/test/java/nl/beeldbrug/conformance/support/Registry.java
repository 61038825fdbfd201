package nl.beeldbrug.conformance.support;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetSubmissionSetAndContentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.util.List;

import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.leafClass;
import static org.assertj.core.api.Assertions.assertThat;

/** Patient-independent look-ups over the wire, to prove that a refused submission left no trace. */
public final class Registry {

    private final XdsClient client;

    public Registry(XdsClient client) {
        this.client = client;
    }

    /** GetDocuments by uniqueId (LeafClass). */
    public List<DocumentEntry> documentsByUniqueId(String... uniqueIds) {
        GetDocumentsQuery query = new GetDocumentsQuery();
        query.setUniqueIds(List.of(uniqueIds));
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        return response.getDocumentEntries();
    }

    /** The document entry with this entryUUID (a fresh copy from the registry). */
    public DocumentEntry documentByUuid(String entryUuid) {
        GetDocumentsQuery query = new GetDocumentsQuery();
        query.setUuids(List.of(entryUuid));
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        assertThat(response.getDocumentEntries()).as("document entries with entryUUID %s", entryUuid).hasSize(1);
        return response.getDocumentEntries().get(0);
    }

    /** The one document entry with this uniqueId. */
    public DocumentEntry document(String uniqueId) {
        List<DocumentEntry> found = documentsByUniqueId(uniqueId);
        assertThat(found).as("document entries with uniqueId %s", uniqueId).hasSize(1);
        return found.get(0);
    }

    /**
     * Nothing of the submission is in the registry (no document entry, submission set or folder with its
     * uniqueIds) nor in the repository (ITI-43 finds none of its documents).
     */
    public void assertNothingStored(Submission submission) {
        List<String> uniqueIds = submission.entries().stream().map(DocumentEntry::getUniqueId).toList();
        if (!uniqueIds.isEmpty()) {
            assertThat(documentsByUniqueId(uniqueIds.toArray(String[]::new))).as("document entries stored").isEmpty();
            RetrievedDocumentSet retrieved = client.retrieve(retrieve(uniqueIds, Submission.REPOSITORY));
            assertThat(retrieved.getDocuments()).as("documents in the repository").isEmpty();
            assertThat(retrieved.getStatus()).isEqualTo(Status.FAILURE);
            assertThat(Xds.errorCodes(retrieved)).containsOnly(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR.getOpcode());
        }
        GetSubmissionSetAndContentsQuery set = new GetSubmissionSetAndContentsQuery();
        set.setUniqueId(submission.submissionSet().getUniqueId());
        QueryResponse sets = client.query(leafClass(set));
        assertSuccess(sets);
        assertThat(sets.getSubmissionSets()).as("submission set stored").isEmpty();
        List<String> folderIds = submission.folders().stream().map(Folder::getUniqueId).toList();
        if (!folderIds.isEmpty()) {
            GetFoldersQuery folders = new GetFoldersQuery();
            folders.setUniqueIds(folderIds);
            QueryResponse found = client.query(leafClass(folders));
            assertSuccess(found);
            assertThat(found.getFolders()).as("folders stored").isEmpty();
        }
    }

    public static RetrieveDocumentSet retrieve(List<String> uniqueIds, String repositoryUniqueId) {
        RetrieveDocumentSet request = new RetrieveDocumentSet();
        for (String uniqueId : uniqueIds) {
            request.getDocuments().add(new DocumentReference(repositoryUniqueId, uniqueId, null));
        }
        return request;
    }
}
