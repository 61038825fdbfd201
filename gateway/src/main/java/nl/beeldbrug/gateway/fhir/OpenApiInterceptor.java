package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ServerCapabilityStatementProvider;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationDefinition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Serves {@code /fhir/api-docs}: the OpenAPI 3 description of the FHIR server, generated on each
 * request from the server's own CapabilityStatement ({@link OpenApiGenerator}), so it stays truthful.
 */
@Interceptor
public final class OpenApiInterceptor {

    public static final String PATH = "api-docs";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLER_SELECTED)
    public boolean serve(RequestDetails request, HttpServletRequest servletRequest, HttpServletResponse response)
            throws IOException {
        if (!PATH.equals(request.getRequestPath()) || request.getRequestType() != RequestTypeEnum.GET
                || !(request.getServer() instanceof RestfulServer server)
                || !(server.getServerConformanceProvider() instanceof ServerCapabilityStatementProvider provider)) {
            return true;
        }
        CapabilityStatement capabilities = (CapabilityStatement) provider.getServerConformance(servletRequest, request);
        StrictParametersInterceptor.trimToAccepted(capabilities, server); // as /metadata answers it
        OpenApiGenerator generator = new OpenApiGenerator(definition -> {
            try {
                return (OperationDefinition) provider.readOperationDefinition(new IdType(definition), request);
            } catch (RuntimeException e) {
                return null;
            }
        });
        byte[] body = generator.generate(capabilities, request.getFhirServerBase()).toPrettyString()
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.getOutputStream().flush();
        return false;
    }
}
