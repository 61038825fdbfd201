package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The FHIR face writes only through MHD ITI-65: create, update, patch and delete are answered 405
 * with an OperationOutcome (HAPI alone would answer 400 "unknown method"). POST stays open for
 * {@code _search} and, at the server base, for the ITI-65 transaction Bundle (whose provider refuses
 * any other Bundle type, and any entry that is not a POST, with 405 too). The only other writes are
 * {@code POST /Consent} (create), {@code PUT /Consent/<id>} (revocation, see ConsentProvider) and the operation
 * {@code POST /ServiceRequest/$prefetch} (prefetch of priors; it stores no ServiceRequest), and the AI platforms'
 * {@code POST /ImagingStudy/$ai-cohort} (it stores a cohort, no ImagingStudy).
 */
@Interceptor
public final class ReadOnlyInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean onlyReads(HttpServletRequest request) {
        String method = request.getMethod();
        boolean read = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
        boolean postSearch = "POST".equals(method) && request.getRequestURI() != null && request.getRequestURI().endsWith("/_search");
        boolean postTransaction = "POST".equals(method) && (request.getPathInfo() == null || "/".equals(request.getPathInfo()));
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        boolean consentCreate = "POST".equals(method) && path.matches("/Consent/?");
        boolean consentRevoke = "PUT".equals(method) && path.matches("/Consent/[A-Za-z0-9\\-.]{1,64}");
        boolean prefetch = "POST".equals(method) && path.equals("/ServiceRequest/$prefetch");
        boolean aiCohort = "POST".equals(method) && path.equals("/ImagingStudy/$ai-cohort");
        if (!read && !postSearch && !postTransaction && !consentCreate && !consentRevoke && !prefetch && !aiCohort) {
            MethodNotAllowedException refused = new MethodNotAllowedException(method
                    + ": this FHIR server is read-only except for the ITI-65 transaction at its base and Consent create/revoke");
            refused.setAllowedMethods(RequestTypeEnum.GET);
            throw refused;
        }
        return true;
    }
}
