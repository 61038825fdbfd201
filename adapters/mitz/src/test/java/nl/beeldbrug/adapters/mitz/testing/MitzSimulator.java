package nl.beeldbrug.adapters.mitz.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.net.ssl.SSLContext;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for Mitz's closed-question endpoint: HTTPS on 127.0.0.1 (free port) that requires a
 * client certificate, reads the XACML request and answers with the decision programmed for the patient's
 * BSN (default NotApplicable). It can be made slow, or answer with a raw body and status (malformed
 * answers). Every received request is kept as a {@link Received} (its XACML attributes by id).
 * <p>
 * For tests of adapters/mitz and, through this module's test-jar, of the gateway.
 */
public final class MitzSimulator implements AutoCloseable {

    /** Decisions as XACML spells them. */
    public enum Decision {
        Permit, Deny, NotApplicable, Indeterminate
    }

    /** One request as the simulator understood it: attribute id → value. */
    public record Received(Map<String, String> attributes, String contentType) {
        public String get(String attributeId) {
            return attributes.get(attributeId);
        }
    }

    private static final String XACML = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17";

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Decision defaultDecision = Decision.NotApplicable;
    private volatile Duration delay = Duration.ZERO;
    private volatile String rawBody;
    private volatile int rawStatus = 200;

    private MitzSimulator(SSLContext tls) throws IOException {
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                // the JDK server uses the SSLParameters as given and ignores HttpsParameters.setNeedClientAuth then
                javax.net.ssl.SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        server.createContext("/mitz/closed-question", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts the simulator.
     *
     * @param tls its server certificate and the anchors it accepts client certificates from
     */
    public static MitzSimulator start(SSLContext tls) throws IOException {
        // the JDK server leaves Nagle on unless told (stack.md trap 9); read once, before its first use
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        return new MitzSimulator(tls);
    }

    public URI endpoint() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/mitz/closed-question");
    }

    /** The decision for a patient. */
    public MitzSimulator decide(String bsn, Decision decision) {
        decisions.put(bsn, decision);
        return this;
    }

    public MitzSimulator defaultDecision(Decision decision) {
        defaultDecision = decision;
        return this;
    }

    /** Waits this long before answering (until closed). */
    public MitzSimulator delay(Duration value) {
        delay = value;
        return this;
    }

    /** Answers every request with this status and body instead of a decision; null restores normal answers. */
    public MitzSimulator respondRaw(int status, String body) {
        rawStatus = status;
        rawBody = body;
        return this;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> attributes = attributes(body);
            received.add(new Received(attributes, exchange.getRequestHeaders().getFirst("Content-Type")));
            if (!delay.isZero()) {
                closing.await(delay.toMillis(), TimeUnit.MILLISECONDS);
            }
            String raw = rawBody;
            if (raw != null) {
                respond(exchange, rawStatus, raw);
                return;
            }
            if (attributes == null) {
                respond(exchange, 400, fault("Sender", "unreadable XACML request"));
                return;
            }
            String patient = attributes.getOrDefault("urn:oasis:names:tc:xacml:1.0:resource:resource-id", "");
            String bsn = patient.contains("^") ? patient.substring(0, patient.indexOf('^')) : patient;
            respond(exchange, 200, answer(decisions.getOrDefault(bsn, defaultDecision)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> attributes(byte[] body) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList nodes = doc.getElementsByTagNameNS(XACML, "Attribute");
            Map<String, String> result = new HashMap<>();
            for (int i = 0; i < nodes.getLength(); i++) {
                Element attribute = (Element) nodes.item(i);
                result.put(attribute.getAttribute("AttributeId"),
                        attribute.getElementsByTagNameNS(XACML, "AttributeValue").item(0).getTextContent());
            }
            return result;
        } catch (Exception e) {
            return null;
        }
    }

    /** A SAML response with an XACMLAuthzDecisionStatement holding the XACML 3.0 decision. */
    public static String answer(Decision decision) {
        return """
                <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope">
                  <env:Body>
                    <samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
                        ID="_sim" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">
                      <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
                      <saml:Assertion ID="_a" Version="2.0" IssueInstant="2026-01-01T00:00:00Z">
                        <saml:Issuer>mitz-simulator</saml:Issuer>
                        <saml:Statement xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                            xmlns:xacml-saml="urn:oasis:names:tc:xacml:3.0:profile:saml2.0:v2:schema:assertion:wd-14"
                            xsi:type="xacml-saml:XACMLAuthzDecisionStatementType">
                          <xacml:Response xmlns:xacml="urn:oasis:names:tc:xacml:3.0:core:schema:wd-17">
                            <xacml:Result>
                              <xacml:Decision>%s</xacml:Decision>
                              <xacml:Status><xacml:StatusCode Value="urn:oasis:names:tc:xacml:1.0:status:ok"/></xacml:Status>
                            </xacml:Result>
                          </xacml:Response>
                        </saml:Statement>
                      </saml:Assertion>
                    </samlp:Response>
                  </env:Body>
                </env:Envelope>
                """.formatted(decision.name());
    }

    /** A SOAP 1.2 fault. */
    public static String fault(String code, String reason) {
        return """
                <env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault>
                <env:Code><env:Value>env:%s</env:Value></env:Code><env:Reason><env:Text xml:lang="en">%s</env:Text></env:Reason>
                </env:Fault></env:Body></env:Envelope>
                """.formatted(code, reason);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/soap+xml; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
