package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The FHIR face is read-only in this slice: create, update, patch and delete are answered 405 with
 * an OperationOutcome (HAPI alone would answer 400 "unknown method"). POST stays open for
 * {@code _search}.
 */
@Interceptor
public final class ReadOnlyInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_PROCESSED)
    public boolean onlyReads(HttpServletRequest request) {
        String method = request.getMethod();
        boolean read = "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
        boolean postSearch = "POST".equals(method) && request.getRequestURI() != null && request.getRequestURI().endsWith("/_search");
        if (!read && !postSearch) {
            MethodNotAllowedException refused = new MethodNotAllowedException(method + ": this FHIR server is read-only");
            refused.setAllowedMethods(RequestTypeEnum.GET);
            throw refused;
        }
        return true;
    }
}
