package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * FHIR XML never needs a document type declaration: a body that carries one ({@code <!DOCTYPE},
 * hence entity declarations, external entities, "billion laughs") is refused with 400 before HAPI's
 * parser sees it. HAPI's StAX factory already has DTD support and external entities switched off;
 * this makes the refusal explicit instead of depending on how the parser treats the undeclared
 * entity references that remain.
 */
@Interceptor
public final class XmlDtdInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean noDtd(RequestDetails request) {
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).contains("xml")) {
            return true;
        }
        byte[] body = request.loadRequestContents();
        if (body != null && new String(body, StandardCharsets.UTF_8).contains("<!DOCTYPE")) {
            throw new InvalidRequestException("XML body: a document type declaration (DTD) is not accepted");
        }
        return true;
    }
}
