package nl.beeldbrug.gateway.xds;

import org.apache.camel.builder.RouteBuilder;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.springframework.stereotype.Component;

import static org.openehealth.ipf.platform.camel.ihe.xds.XdsCamelValidators.*;

/**
 * The XDS.b actors: Document Registry (ITI-18, ITI-42, ITI-57, ITI-62) and Document Repository
 * (ITI-41, ITI-43).
 * Each route is: validate the ebXML request (IPF) → convert to the simplified model → call the
 * registry → validate the response. Endpoint URIs come from configuration (beeldbrug.routes.*).
 */
@Component
public class XdsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("{{beeldbrug.routes.iti18}}").routeId("iti18")
                .process(iti18RequestValidator())
                .convertBodyTo(QueryRegistry.class)
                .bean(XdsTransactions.class, "query")
                .process(iti18ResponseValidator());

        from("{{beeldbrug.routes.iti42}}").routeId("iti42")
                .process(iti42RequestValidator())
                .convertBodyTo(RegisterDocumentSet.class)
                .bean(XdsTransactions.class, "register")
                .process(iti42ResponseValidator());

        from("{{beeldbrug.routes.iti41}}").routeId("iti41")
                .process(iti41RequestValidator())
                .convertBodyTo(ProvideAndRegisterDocumentSet.class)
                .bean(XdsTransactions.class, "provideAndRegister")
                .process(iti41ResponseValidator());

        from("{{beeldbrug.routes.iti43}}").routeId("iti43")
                .process(iti43RequestValidator())
                .convertBodyTo(RetrieveDocumentSet.class)
                .bean(XdsTransactions.class, "retrieve")
                .process(iti43ResponseValidator());

        from("{{beeldbrug.routes.iti57}}").routeId("iti57")
                .process(iti57RequestValidator())
                .convertBodyTo(RegisterDocumentSet.class)
                .bean(XdsTransactions.class, "update")
                .process(iti57ResponseValidator());

        from("{{beeldbrug.routes.iti62}}").routeId("iti62")
                .process(iti62RequestValidator())
                .convertBodyTo(RemoveMetadata.class)
                .bean(XdsTransactions.class, "delete")
                .process(iti62ResponseValidator());
    }
}
