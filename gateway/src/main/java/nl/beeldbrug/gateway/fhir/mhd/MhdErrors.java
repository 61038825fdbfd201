package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import nl.beeldbrug.registry.xds.XdsException;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;

/**
 * The error catalogue of the MHD face: an XDS refusal (ITI TF-3 4.2.4.1 error codes) as an
 * OperationOutcome with an HTTP status. Each issue carries the XDS error code (e.g.
 * {@code XDSUnknownPatientId}) as {@code details.text} and the registry's message as diagnostics, so a
 * Document Source sees the same reason an ITI-41 sender would.
 * <ul>
 *   <li>422: the request is well-formed but the registry refuses it (unknown patient, metadata
 *       errors, hash or size mismatch, duplicate uniqueId, non-identical hash, …).</li>
 *   <li>400: a query that matches more than the configured limit (narrow it).</li>
 *   <li>500: registry or repository errors.</li>
 * </ul>
 */
public final class MhdErrors {

    private MhdErrors() {
    }

    public static BaseServerResponseException toFhir(XdsException e) {
        OperationOutcome outcome = new OperationOutcome();
        for (ErrorInfo error : e.errors()) {
            ErrorCode code = error.getErrorCode();
            outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(issueType(code))
                    .setDetails(new CodeableConcept().setText(code.getOpcode()))
                    .setDiagnostics(error.getCodeContext());
        }
        ErrorCode first = e.code();
        String message = first.getOpcode() + ": " + e.errors().get(0).getCodeContext();
        BaseServerResponseException fhir = switch (first) {
            case TOO_MANY_RESULTS -> new InvalidRequestException(message);
            case REGISTRY_ERROR, REPOSITORY_ERROR -> new InternalErrorException(message);
            default -> new UnprocessableEntityException(message);
        };
        fhir.setOperationOutcome(outcome);
        return fhir;
    }

    private static IssueType issueType(ErrorCode code) {
        return switch (code) {
            case UNKNOWN_PATIENT_ID, PATIENT_ID_DOES_NOT_MATCH -> IssueType.NOTFOUND;
            case DUPLICATE_UNIQUE_ID_IN_REGISTRY, NON_IDENTICAL_HASH -> IssueType.DUPLICATE;
            case TOO_MANY_RESULTS -> IssueType.TOOCOSTLY;
            case REGISTRY_ERROR, REPOSITORY_ERROR -> IssueType.EXCEPTION;
            case REPOSITORY_OUT_OF_RESOURCES -> IssueType.TOOLONG;
            default -> IssueType.INVALID;
        };
    }
}
