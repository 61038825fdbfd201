package nl.beeldbrug.conformance.xds;

import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static nl.beeldbrug.conformance.support.Registry.retrieve;
import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.errorCodes;
import static org.assertj.core.api.Assertions.assertThat;

/** ITI-43 Retrieve Document Set: the bytes stored by ITI-41 come back unchanged; unknown ids are errors. */
@ExtendWith(SharedGateway.class)
class Iti43RetrieveIT {

    private static final String PATIENT = Patients.demo(4);

    private static XdsClient client;
    private static DocumentEntry first;
    private static DocumentEntry second;
    private static byte[] firstContent;
    private static byte[] secondContent;

    @BeforeAll
    static void provide(XdsClient xds) {
        client = xds;
        Submission submission = Submission.forPatient(PATIENT);
        firstContent = "Verslag CT thorax\nConclusie: geen afwijkingen (ë, ü, €)\n".getBytes(StandardCharsets.UTF_8);
        secondContent = new byte[700];
        for (int i = 0; i < secondContent.length; i++) {
            secondContent[i] = (byte) (i * 31 + 7); // every byte value, not only text
        }
        first = submission.document(firstContent);
        second = submission.document(secondContent);
        second.setMimeType("application/octet-stream");
        assertSuccess(client.provideAndRegister(submission.provideAndRegister()));
    }

    private static byte[] bytes(RetrievedDocument document) throws IOException {
        try (InputStream in = document.getDataHandler().getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void retrievesTheStoredBytes() throws IOException {
        RetrievedDocumentSet response = client.retrieve(retrieve(List.of(first.getUniqueId(), second.getUniqueId()), Submission.REPOSITORY));

        assertSuccess(response);
        assertThat(response.getDocuments()).hasSize(2);
        for (RetrievedDocument document : response.getDocuments()) {
            String uniqueId = document.getRequestData().getDocumentUniqueId();
            assertThat(document.getRequestData().getRepositoryUniqueId()).isEqualTo(Submission.REPOSITORY);
            if (uniqueId.equals(first.getUniqueId())) {
                assertThat(bytes(document)).isEqualTo(firstContent);
                assertThat(document.getMimeType()).isEqualTo("text/plain");
            } else {
                assertThat(uniqueId).isEqualTo(second.getUniqueId());
                assertThat(bytes(document)).isEqualTo(secondContent);
                assertThat(document.getMimeType()).isEqualTo("application/octet-stream");
            }
        }
    }

    @Test
    void unknownDocumentUniqueIdIsXdsDocumentUniqueIdError() {
        String unknown = Submission.uid();
        RetrievedDocumentSet response = client.retrieve(retrieve(List.of(unknown), Submission.REPOSITORY));

        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(response.getDocuments()).isEmpty();
        assertThat(errorCodes(response)).containsExactly(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR.getOpcode());
        assertThat(response.getErrors()).extracting(ErrorInfo::getLocation).containsExactly(unknown);
    }

    @Test
    void unknownRepositoryUniqueIdIsXdsUnknownRepositoryId() {
        RetrievedDocumentSet response = client.retrieve(retrieve(List.of(first.getUniqueId()), Submission.REMOTE_REPOSITORY));

        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(response.getDocuments()).isEmpty();
        assertThat(errorCodes(response)).containsExactly(ErrorCode.UNKNOWN_REPOSITORY_ID.getOpcode());
    }

    @Test
    void knownAndUnknownTogetherIsPartialSuccess() throws IOException {
        RetrieveDocumentSet request = retrieve(List.of(first.getUniqueId(), Submission.uid()), Submission.REPOSITORY);
        request.getDocuments().addAll(retrieve(List.of(second.getUniqueId()), Submission.REMOTE_REPOSITORY).getDocuments());

        RetrievedDocumentSet response = client.retrieve(request);

        assertThat(response.getStatus()).isEqualTo(Status.PARTIAL_SUCCESS);
        assertThat(response.getDocuments()).hasSize(1);
        assertThat(bytes(response.getDocuments().get(0))).isEqualTo(firstContent);
        assertThat(errorCodes(response)).containsExactlyInAnyOrder(
                ErrorCode.DOCUMENT_UNIQUE_ID_ERROR.getOpcode(), ErrorCode.UNKNOWN_REPOSITORY_ID.getOpcode());
    }

    @Test
    void registryOnlyEntryHasNoBytesHere() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry remote = submission.registryEntry();
        assertSuccess(client.register(submission.register()));

        RetrievedDocumentSet response = client.retrieve(retrieve(List.of(remote.getUniqueId()), Submission.REPOSITORY));

        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(errorCodes(response)).containsExactly(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR.getOpcode());
    }
}
