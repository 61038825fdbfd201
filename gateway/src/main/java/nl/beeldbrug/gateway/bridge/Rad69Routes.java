package nl.beeldbrug.gateway.bridge;

import org.apache.camel.builder.RouteBuilder;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveImagingDocumentSet;
import org.springframework.stereotype.Component;

import static org.openehealth.ipf.platform.camel.ihe.xds.XdsCamelValidators.rad69RequestValidator;
import static org.openehealth.ipf.platform.camel.ihe.xds.XdsCamelValidators.rad69ResponseValidator;

/** RAD-69 (IPF {@code xdsi-rad69}): validate, convert, answer from the archives ({@link Rad69Service}), validate. */
@Component
public class Rad69Routes extends RouteBuilder {

    @Override
    public void configure() {
        from("{{beeldbrug.routes.rad69}}").routeId("rad69")
                .process(rad69RequestValidator())
                .convertBodyTo(RetrieveImagingDocumentSet.class)
                .bean(Rad69Service.class, "retrieve")
                .process(rad69ResponseValidator());
    }
}
