package nl.beeldbrug.gateway.security;

import nl.beeldbrug.adapters.dicom.net.AssociationConfig;
import org.apache.camel.CamelContext;

import javax.net.ssl.SSLContext;

/**
 * Mutual TLS for Beeldbrug's listeners outside Tomcat (DICOM SCPs, HL7v2 MLLP consumers), the same as on the HTTPS
 * endpoints: this server's certificate of {@code beeldbrug.security.tls.*} and the registry's
 * {@code CertificateTrustManager} (trust anchors, validity, CRLs, clientAuth purpose), so that a refused client
 * certificate fails the handshake. Off ({@link #PLAIN}) unless {@code beeldbrug.security.tls.enabled=true}.
 * <pre>
 * DicomServer.start(listenerTls.secure(AssociationConfig.of("BEELDBRUG")...), port, 20);
 * from(listenerTls.mllp("pix-iti8://0.0.0.0:2575?interceptorFactories=#x", getContext()))...
 * </pre>
 */
public final class ListenerTls {

    /** No TLS: listeners stay plain TCP. */
    public static final ListenerTls PLAIN = new ListenerTls(null);

    /** The Camel registry name the MLLP endpoints find the {@link SSLContext} under. */
    public static final String MLLP_SSL_CONTEXT = "beeldbrugListenerSslContext";

    private final SSLContext context;

    ListenerTls(SSLContext context) {
        this.context = context;
    }

    public boolean enabled() {
        return context != null;
    }

    /** The server-side context (client certificates required by the listener); null when off. */
    public SSLContext context() {
        return context;
    }

    /** {@code config} with DICOM TLS (client certificate required) when on, else unchanged. */
    public AssociationConfig secure(AssociationConfig config) {
        return enabled() ? config.withTls(context) : config;
    }

    /**
     * An IPF MLLP consumer URI (e.g. {@code pix-iti8://host:port?...}) that speaks TLS and requires a client
     * certificate when on (IPF's {@code secure}, {@code sslContext}, {@code clientAuth=MUST}; the context is bound
     * into {@code camel}'s registry); else {@code uri} unchanged.
     */
    public String mllp(String uri, CamelContext camel) {
        if (!enabled()) {
            return uri;
        }
        camel.getRegistry().bind(MLLP_SSL_CONTEXT, SSLContext.class, context);
        return uri + (uri.contains("?") ? "&" : "?") + "secure=true&sslContext=#" + MLLP_SSL_CONTEXT + "&clientAuth=MUST";
    }
}
