package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Guards FHIR resource bodies (JSON or XML; form-encoded {@code _search} bodies are left to the servlet
 * container) before HAPI's parser sees them:
 * <ul>
 *   <li>FHIR XML never needs a document type declaration: a body with {@code <!DOCTYPE} (hence entity
 *       declarations, external entities, "billion laughs") is a 400. HAPI's StAX factory already has DTD
 *       support and external entities off; this makes the refusal explicit instead of depending on how
 *       the parser treats the entity references that remain.</li>
 *   <li>A chunked body that grows past the size limit (the request size filter fails its stream) is a
 *       413, like one whose Content-Length is too large, instead of HAPI's generic 400.</li>
 * </ul>
 */
@Interceptor
public final class RequestBodyInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean guard(RequestDetails request) {
        String contentType = request.getHeader("Content-Type");
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!type.contains("xml") && !type.contains("json")) {
            return true;
        }
        byte[] body;
        try {
            body = request.loadRequestContents();
        } catch (InvalidRequestException e) {
            if (e.getMessage() != null && e.getMessage().contains("exceeds the limit")) {
                throw new PayloadTooLargeException("request body exceeds the size limit");
            }
            throw e;
        }
        if (type.contains("xml") && body != null && new String(body, StandardCharsets.UTF_8).contains("<!DOCTYPE")) {
            throw new InvalidRequestException("XML body: a document type declaration (DTD) is not accepted");
        }
        return true;
    }
}
