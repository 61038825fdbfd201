package nl.beeldbrug.gateway.priors.prefetch;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.conf.store.ProfileStoreFactory;
import ca.uhn.hl7v2.parser.DefaultModelClassFactory;
import ca.uhn.hl7v2.util.idgenerator.UUIDGenerator;
import ca.uhn.hl7v2.validation.builder.support.NoValidationBuilder;
import nl.beeldbrug.gateway.security.ListenerTls;
import org.apache.camel.builder.RouteBuilder;
import org.openehealth.ipf.commons.ihe.core.atna.NoAuditStrategy;
import org.openehealth.ipf.commons.ihe.hl7v2.Hl7v2TransactionConfiguration;
import org.openehealth.ipf.commons.ihe.hl7v2.audit.MllpAuditDataset;
import org.openehealth.ipf.commons.ihe.hl7v2.definitions.HapiContextFactory;
import org.openehealth.ipf.platform.camel.ihe.mllp.custom.CustomMllpComponent;

/**
 * The HL7 v2 order listener: an IPF custom MLLP component ({@value #COMPONENT}) with a transaction of our own (HL7
 * 2.3.1–2.5.1, any message type so that {@link OrderMessages} answers a wrong one with AR and ERR itself; no IPF
 * audit: {@link PrefetchAudit} writes the order's record; ACK control ids are UUIDs, so no {@code id_file}). Frames
 * that are no HL7 at all are answered AR by the bridge's {@code NonHl7FrameInterceptor}. Over TLS with a required client
 * certificate when the gateway's TLS is on ({@link ListenerTls}).
 */
public final class OrderListenerRoute extends RouteBuilder {

    public static final String COMPONENT = "prefetch-orders";
    /** The bean name of the interceptor factory the endpoint uses. */
    public static final String INTERCEPTORS = "prefetchNonHl7FrameInterceptor";

    private final String host;
    private final int port;
    private final OrderListener listener;
    private final ListenerTls tls;

    public OrderListenerRoute(String host, int port, OrderListener listener, ListenerTls tls) {
        this.host = host;
        this.port = port;
        this.listener = listener;
        this.tls = tls;
    }

    static Hl7v2TransactionConfiguration<MllpAuditDataset> transaction() {
        HapiContext hapi = HapiContextFactory.createHapiContext(new DefaultModelClassFactory(), new NoValidationBuilder(),
                ProfileStoreFactory.getProfileStore());
        hapi.getParserConfiguration().setIdGenerator(new UUIDGenerator());
        return new Hl7v2TransactionConfiguration<>("prefetch-orders", "Orders for prefetch of priors", false,
                new NoAuditStrategy<>(false), new NoAuditStrategy<>(true),
                new Version[]{Version.V25, Version.V231, Version.V24, Version.V251},
                "BEELDBRUG", "BEELDBRUG", ErrorCode.APPLICATION_INTERNAL_ERROR, ErrorCode.APPLICATION_INTERNAL_ERROR,
                new String[]{"*"}, new String[]{"*"}, new String[]{"ACK"}, new String[]{"*"},
                new boolean[]{false}, new boolean[]{false}, hapi);
    }

    @Override
    public void configure() {
        CustomMllpComponent<MllpAuditDataset> component = new CustomMllpComponent<>(getContext());
        component.setTransactionConfiguration(transaction());
        getContext().addComponent(COMPONENT, component);
        from(tls.mllp(COMPONENT + "://" + host + ":" + port + "?audit=false&interceptorFactories=#" + INTERCEPTORS, getContext()))
                .routeId("prefetch-orders")
                .bean(listener, "handle");
    }
}
