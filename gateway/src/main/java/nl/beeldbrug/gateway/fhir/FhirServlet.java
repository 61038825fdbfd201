package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** HAPI's RestfulServer answering through a {@link DeferredFlushResponse} (no socket write per JSON field). */
final class FhirServlet extends RestfulServer {

    FhirServlet(FhirContext context) {
        super(context);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        super.service(request, new DeferredFlushResponse(response));
    }
}
