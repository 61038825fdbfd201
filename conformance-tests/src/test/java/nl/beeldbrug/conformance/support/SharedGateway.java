package nl.beeldbrug.conformance.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JUnit 5 extension: one gateway jar process (plus its audit receiver and an IPF client) for the whole
 * test run, kept in the root context's store and closed when the run ends. Test classes get
 * {@link Gateway}, {@link XdsClient} and {@link SyslogReceiver} as parameters.
 * <p>
 * Start options: demo data of 60 studies (15 demo patients, BSNs from 999990007 upward), documents up to
 * 1 KB, requests up to 1 MB, at most {@value #MAX_QUERY_RESULTS} objects per query answer, and every
 * audit message forwarded as syslog over UDP to the receiver.
 */
public final class SharedGateway implements ParameterResolver {

    /** beeldbrug.xds.max-query-results of the shared gateway. */
    public static final int MAX_QUERY_RESULTS = 120;
    /** beeldbrug.xds.max-document-size of the shared gateway, in bytes. */
    public static final int MAX_DOCUMENT_BYTES = 1024;
    /** beeldbrug.http.max-request-size of the shared gateway, in bytes. */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedGateway.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Gateway.class || type == XdsClient.class || type == SyslogReceiver.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Holder.class, key -> Holder.start(), Holder.class).get();
        Class<?> type = parameter.getParameter().getType();
        if (type == Gateway.class) {
            return running.gateway;
        }
        if (type == XdsClient.class) {
            return running.client;
        }
        return running.syslog;
    }

    /** The started gateway, or why it did not start (so that the next test class does not try again). */
    static final class Holder implements ExtensionContext.Store.CloseableResource {
        private final Running running;
        private final RuntimeException failure;

        private Holder(Running running, RuntimeException failure) {
            this.running = running;
            this.failure = failure;
        }

        static Holder start() {
            try {
                return new Holder(Running.start(), null);
            } catch (RuntimeException e) {
                return new Holder(null, e);
            }
        }

        Running get() {
            if (failure != null) {
                throw new IllegalStateException("the shared gateway did not start", failure);
            }
            return running;
        }

        @Override
        public void close() {
            if (running != null) {
                running.close();
            }
        }
    }

    /** The shared process, its audit receiver and client. */
    static final class Running {
        final SyslogReceiver syslog;
        final Gateway gateway;
        final XdsClient client;

        private Running(SyslogReceiver syslog, Gateway gateway, XdsClient client) {
            this.syslog = syslog;
            this.gateway = gateway;
            this.client = client;
        }

        static Running start() {
            String attach = System.getProperty("beeldbrug.attach", "");
            if (!attach.isBlank()) { // developing the tests against a running gateway
                SyslogReceiver syslog = new SyslogReceiver(Integer.parseInt(System.getProperty("beeldbrug.attach.syslog", "15514")));
                Gateway gateway = Gateway.attach(attach);
                return new Running(syslog, gateway, new XdsClient(gateway));
            }
            SyslogReceiver syslog = new SyslogReceiver();
            Map<String, String> options = new LinkedHashMap<>();
            options.put("beeldbrug.demo.studies", "60");
            options.put("beeldbrug.xds.max-document-size", MAX_DOCUMENT_BYTES + "B");
            options.put("beeldbrug.xds.max-query-results", Integer.toString(MAX_QUERY_RESULTS));
            options.put("beeldbrug.http.max-request-size", "1MB");
            options.put("beeldbrug.audit.forward", "true");
            options.put("ipf.atna.audit-repository-host", "127.0.0.1");
            options.put("ipf.atna.audit-repository-port", Integer.toString(syslog.port()));
            options.put("ipf.atna.audit-repository-transport", "UDP");
            Gateway gateway;
            try {
                gateway = Gateway.start(Gateway.workDir("shared"), options);
            } catch (RuntimeException e) {
                syslog.close();
                throw e;
            }
            return new Running(syslog, gateway, new XdsClient(gateway));
        }

        void close() {
            try {
                client.close();
            } finally {
                try {
                    gateway.close();
                } finally {
                    syslog.close();
                }
            }
        }
    }
}
