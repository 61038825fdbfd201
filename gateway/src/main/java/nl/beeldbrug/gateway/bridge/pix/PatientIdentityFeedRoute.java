package nl.beeldbrug.gateway.bridge.pix;

import org.apache.camel.builder.RouteBuilder;

/**
 * ITI-8 Patient Identity Feed consumer: IPF's {@code pix-iti8} over MLLP (it refuses unparseable messages and
 * other message types with an AR, and writes the ATNA record; {@link NonHl7FrameInterceptor} answers frames
 * that are no HL7 at all) → {@link PatientIdentityFeedHandler} → ACK.
 */
public final class PatientIdentityFeedRoute extends RouteBuilder {

    /** The bean name of the {@link NonHl7FrameInterceptor} factory the endpoint uses. */
    public static final String INTERCEPTORS = "pixFeedNonHl7FrameInterceptor";

    private final String endpointUri;
    private final PatientIdentityFeedHandler handler;

    public PatientIdentityFeedRoute(String host, int port, PatientIdentityFeedHandler handler) {
        this.endpointUri = "pix-iti8://" + host + ":" + port + "?interceptorFactories=#" + INTERCEPTORS;
        this.handler = handler;
    }

    @Override
    public void configure() {
        from(endpointUri).routeId("pix-iti8")
                .bean(handler, "handle");
    }
}
