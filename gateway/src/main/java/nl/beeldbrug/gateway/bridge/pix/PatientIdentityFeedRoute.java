package nl.beeldbrug.gateway.bridge.pix;

import nl.beeldbrug.gateway.security.ListenerTls;
import org.apache.camel.builder.RouteBuilder;

/**
 * ITI-8 Patient Identity Feed consumer: IPF's {@code pix-iti8} over MLLP (it refuses unparseable messages and
 * other message types with an AR, and writes the ATNA record; {@link NonHl7FrameInterceptor} answers frames
 * that are no HL7 at all) → {@link PatientIdentityFeedHandler} → ACK. Over TLS with a required client certificate
 * when the gateway's TLS is on ({@link ListenerTls}).
 */
public final class PatientIdentityFeedRoute extends RouteBuilder {

    /** The bean name of the {@link NonHl7FrameInterceptor} factory the endpoint uses. */
    public static final String INTERCEPTORS = "pixFeedNonHl7FrameInterceptor";

    private final String endpointUri;
    private final PatientIdentityFeedHandler handler;
    private final ListenerTls tls;

    public PatientIdentityFeedRoute(String host, int port, PatientIdentityFeedHandler handler, ListenerTls tls) {
        this.endpointUri = "pix-iti8://" + host + ":" + port + "?interceptorFactories=#" + INTERCEPTORS;
        this.handler = handler;
        this.tls = tls;
    }

    @Override
    public void configure() {
        from(tls.mllp(endpointUri, getContext())).routeId("pix-iti8")
                .bean(handler, "handle");
    }
}
