package nl.beeldbrug.conformance.support;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindSubmissionSetsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetAllQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.Query;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Small helpers over IPF's model: error codes of a response, assertions, "everything of a patient". */
public final class Xds {

    public static final List<AvailabilityStatus> ALL_STATUSES = List.of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED);

    private Xds() {
    }

    /** The error codes of a response as they are on the wire (custom codes included). */
    public static List<String> errorCodes(Response response) {
        return response.getErrors().stream().map(Xds::code).toList();
    }

    static String code(ErrorInfo error) {
        if (error.getErrorCode() == null || error.getErrorCode() == ErrorCode._USER_DEFINED) {
            return error.getCustomErrorCode();
        }
        return error.getErrorCode().getOpcode();
    }

    public static void assertSuccess(Response response) {
        assertThat(response.getStatus())
                .as("status; errors: %s", describe(response))
                .isEqualTo(Status.SUCCESS);
        assertThat(response.getErrors()).as("errors").isEmpty();
    }

    /** Failure with exactly this error code (one or more errors, all with this code). */
    public static void assertFailure(Response response, ErrorCode code) {
        assertThat(response.getStatus()).as("status; errors: %s", describe(response)).isEqualTo(Status.FAILURE);
        assertThat(errorCodes(response)).as("error codes").isNotEmpty().containsOnly(code.getOpcode());
    }

    public static String describe(Response response) {
        return response.getErrors().stream()
                .map(e -> code(e) + " (" + e.getCodeContext() + " @ " + e.getLocation() + ")").toList().toString();
    }

    public static QueryRegistry leafClass(Query query) {
        QueryRegistry request = new QueryRegistry(query);
        request.setReturnType(QueryReturnType.LEAF_CLASS);
        return request;
    }

    public static QueryRegistry objectRef(Query query) {
        QueryRegistry request = new QueryRegistry(query);
        request.setReturnType(QueryReturnType.OBJECT_REF);
        return request;
    }

    /** GetAll for a patient: every object (any status, any entry type) and the associations among them. */
    public static GetAllQuery getAll(String bsn) {
        GetAllQuery query = new GetAllQuery();
        query.setPatientId(Submission.patientId(bsn));
        query.setStatusDocuments(ALL_STATUSES);
        query.setStatusSubmissionSets(ALL_STATUSES);
        query.setStatusFolders(ALL_STATUSES);
        query.setDocumentEntryTypes(List.of(DocumentEntryType.STABLE, DocumentEntryType.ON_DEMAND));
        return query;
    }

    /**
     * How many document entries, submission sets and folders (any status, any entry type) a patient has:
     * FindDocuments + FindSubmissionSets + FindFolders, ObjectRef. (Three queries rather than GetAll, so
     * that each answer stays below the shared gateway's max-query-results as the tests add data.)
     */
    public static int countFor(XdsClient client, String bsn) {
        FindDocumentsQuery documents = new FindDocumentsQuery();
        documents.setPatientId(Submission.patientId(bsn));
        documents.setStatus(ALL_STATUSES);
        documents.setDocumentEntryTypes(List.of(DocumentEntryType.STABLE, DocumentEntryType.ON_DEMAND));
        FindSubmissionSetsQuery sets = new FindSubmissionSetsQuery();
        sets.setPatientId(Submission.patientId(bsn));
        sets.setStatus(ALL_STATUSES);
        FindFoldersQuery folders = new FindFoldersQuery();
        folders.setPatientId(Submission.patientId(bsn));
        folders.setStatus(ALL_STATUSES);
        int count = 0;
        for (Query query : List.of(documents, sets, folders)) {
            QueryResponse response = client.query(objectRef(query));
            assertSuccess(response);
            count += response.getReferences().size();
        }
        return count;
    }
}
