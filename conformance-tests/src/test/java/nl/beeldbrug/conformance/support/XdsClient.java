package nl.beeldbrug.conformance.support;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;

/**
 * IPF's XDS.b client endpoints (a plain Camel context, no Spring) pointed at one gateway: each method
 * sends one transaction in IPF's simplified model and returns the gateway's answer in it.
 */
public final class XdsClient implements AutoCloseable {

    private final Gateway gateway;
    private final CamelContext camel;
    private final ProducerTemplate template;

    public XdsClient(Gateway gateway) {
        this.gateway = gateway;
        this.camel = new DefaultCamelContext();
        camel.start();
        this.template = camel.createProducerTemplate();
    }

    /** ITI-41 Provide and Register Document Set-b. */
    public Response provideAndRegister(ProvideAndRegisterDocumentSet request) {
        return send(gateway.producer("xds-iti41", "repository/iti41"), request, Response.class);
    }

    /** ITI-42 Register Document Set-b. */
    public Response register(RegisterDocumentSet request) {
        return send(gateway.producer("xds-iti42", "registry/iti42"), request, Response.class);
    }

    /** ITI-18 Registry Stored Query. */
    public QueryResponse query(QueryRegistry request) {
        return send(gateway.producer("xds-iti18", "registry/iti18"), request, QueryResponse.class);
    }

    /** ITI-43 Retrieve Document Set. */
    public RetrievedDocumentSet retrieve(RetrieveDocumentSet request) {
        return send(gateway.producer("xds-iti43", "repository/iti43"), request, RetrievedDocumentSet.class);
    }

    /** ITI-57 Update Document Set. */
    public Response update(RegisterDocumentSet request) {
        return send(gateway.producer("xds-iti57", "registry/iti57"), request, Response.class);
    }

    /** ITI-62 Delete Document Set. */
    public Response delete(RemoveMetadata request) {
        return send(gateway.producer("rmd-iti62", "registry/iti62"), request, Response.class);
    }

    private <T> T send(String uri, Object request, Class<T> responseType) {
        Exchange exchange = template.request(uri, e -> e.getIn().setBody(request));
        if (exchange.getException() != null) {
            throw new IllegalStateException("transport failure on " + uri, exchange.getException());
        }
        T response = exchange.getMessage().getBody(responseType);
        if (response == null) {
            throw new IllegalStateException("no " + responseType.getSimpleName() + " in the answer of " + uri
                    + ": " + exchange.getMessage().getBody());
        }
        return response;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
