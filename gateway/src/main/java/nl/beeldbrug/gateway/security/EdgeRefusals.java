package nl.beeldbrug.gateway.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.gateway.web.SoapFaults;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.io.IOException;

/**
 * The body of a request refused at the edge (token, client certificate), in the protocol of its path: a FHIR
 * OperationOutcome (issue code {@code login}, or {@code transient} when the refusal is temporary) under
 * {@code /fhir}, a SOAP 1.2 Sender fault under {@code /services}, plain text elsewhere. Never cached.
 */
final class EdgeRefusals {

    private EdgeRefusals() {
    }

    /** Writes the body; the caller has set status and authentication headers. */
    static void body(HttpServletRequest request, HttpServletResponse response, String description, boolean unavailable)
            throws IOException {
        response.setHeader("Cache-Control", "no-store");
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/fhir") || path.startsWith("/fhir/")) {
            response.setContentType("application/fhir+json;charset=UTF-8");
            response.getWriter().write(operationOutcome(description, unavailable));
        } else if (path.startsWith("/services/")) {
            response.setContentType("application/soap+xml;charset=UTF-8");
            response.getWriter().write(SoapFaults.sender(description));
        } else {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(description + "\n");
        }
    }

    static String operationOutcome(String description, boolean unavailable) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(unavailable ? OperationOutcome.IssueType.TRANSIENT : OperationOutcome.IssueType.LOGIN)
                .setDiagnostics(description);
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(outcome);
    }
}
