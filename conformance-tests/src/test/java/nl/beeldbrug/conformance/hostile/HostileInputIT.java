package nl.beeldbrug.conformance.hostile;

import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.RawSoap;
import nl.beeldbrug.conformance.support.Registry;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.countFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Malformed and hostile requests, sent raw to every SOAP endpoint: each gets a SOAP Sender fault (or 413),
 * nothing is stored, and the gateway stays ready. The entity payloads carry a real ITI-41 submission, so
 * a parser that expanded them would have stored something.
 */
@ExtendWith(SharedGateway.class)
class HostileInputIT {

    private static final String PATIENT = Patients.demo(9);
    private static final List<String> ENDPOINTS = List.of("registry/iti18", "registry/iti42", "registry/iti57",
            "registry/iti62", "repository/iti41", "repository/iti43");

    private static Gateway gateway;
    private static XdsClient client;
    private static Registry registry;
    private static int patientObjectsBefore;
    private static Gateway.Counts countsBefore;
    private static final List<String> HOSTILE_DOCUMENT_UIDS = new java.util.ArrayList<>();

    @BeforeAll
    static void before(Gateway shared, XdsClient xds) {
        gateway = shared;
        client = xds;
        registry = new Registry(xds);
        // the gauges are recounted at most every 10 s: register a marker and wait for them to move, so that
        // the baseline is fresh (and includes the marker)
        // (a value read more than 10 s after the marker is fresh whether or not it changed)
        Gateway.Counts stale = gateway.counts();
        registerMarker();
        java.time.Instant marker = java.time.Instant.now();
        countsBefore = await("fresh registry gauges").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                .until(gateway::counts, now -> now.total() != stale.total()
                        || Duration.between(marker, java.time.Instant.now()).toMillis() > 11_000);
        patientObjectsBefore = countFor(client, PATIENT);
    }

    /** One legitimate ITI-41 submission: 3 registry objects, 1 repository document. */
    private static void registerMarker() {
        Submission marker = Submission.forPatient(PATIENT);
        marker.document("marker");
        assertSuccess(client.provideAndRegister(marker.provideAndRegister()));
    }

    /** A real ITI-41 request (fresh uniqueIds) for this class's patient: what a hostile payload wraps. */
    private static String iti41() {
        RawSoap.Iti41Sample sample = RawSoap.iti41Sample().forPatient(PATIENT);
        HOSTILE_DOCUMENT_UIDS.add(sample.documentUniqueId());
        return sample.xml();
    }

    private static String withoutProlog(String xml) {
        return xml.substring(xml.indexOf("?>") + 2);
    }

    private static void assertSenderFault(HttpResponse<String> response, String expectedReason) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).contains("application/soap+xml"));
        assertThat(RawSoap.faultCode(response.body())).as("SOAP fault code of %s", response.body()).isEqualTo("soap:Sender");
        assertThat(response.statusCode()).as("SOAP 1.2 HTTP binding: a Sender fault is 400").isEqualTo(400);
        assertThat(response.body()).contains(expectedReason);
        assertThat(response.body()).doesNotContain("RegistryResponse");
    }

    private static void eachEndpoint(String body, String expectedReason) {
        for (String endpoint : ENDPOINTS) {
            HttpResponse<String> response = RawSoap.post(gateway.endpoint(endpoint), body);
            assertSenderFault(response, expectedReason);
        }
    }

    @Test
    void malformedXml() {
        // broken in the SOAP header: every endpoint fails while parsing, before looking at the body
        eachEndpoint(iti41().replace("<a:MessageID>", "<a:MessageID <"), "Error reading XMLStreamReader");
        // broken inside the submission: the ITI-41 endpoint fails while reading the body
        HttpResponse<String> response = RawSoap.post(gateway.endpoint("repository/iti41"),
                iti41().replace("</rim:RegistryPackage>", "</rim:RegistryPackag>"));
        assertSenderFault(response, "RegistryPackag");
    }

    @Test
    void truncatedXml() {
        String xml = iti41();
        eachEndpoint(xml.substring(0, xml.indexOf("<a:ReplyTo>") + 5), "Unexpected");
        // cut in the middle of the submission (just after an element, so the parser always reports EOF)
        String cut = xml.substring(0, xml.indexOf("<rim:RegistryPackage"));
        HttpResponse<String> response = RawSoap.post(gateway.endpoint("repository/iti41"), cut);
        assertSenderFault(response, "Unmarshalling Error: Unexpected EOF");
    }

    @Test
    void nonXmlBody() {
        eachEndpoint("this is not XML at all, just text", "Unexpected character");
        eachEndpoint("{\"resourceType\": \"Bundle\"}", "Unexpected character");
    }

    @Test
    void unknownBodyElement() {
        eachEndpoint("""
                <s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing">
                  <s:Header><a:Action>urn:ihe:iti:2007:RegistryStoredQuery</a:Action><a:MessageID>urn:uuid:1f0a</a:MessageID></s:Header>
                  <s:Body><evil:Payload xmlns:evil="urn:example:evil"><evil:cmd>rm -rf /</evil:cmd></evil:Payload></s:Body>
                </s:Envelope>""", "Unexpected element");
    }

    @Test
    void billionLaughsEntityExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE s:Envelope [<!ENTITY lol0 \"lollollollollollollollollollol\">");
        for (int i = 1; i <= 10; i++) {
            String previous = "&lol" + (i - 1) + ";";
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">");
        }
        dtd.append("]>");
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + dtd
                + withoutProlog(iti41()).replace("Verslag CT thorax\"/>", "&lol10;\"/>");
        eachEndpoint(xml, "DTD");
    }

    @Test
    void externalEntityIsNotResolved() {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + withoutProlog(iti41()).replace("<rim:Value>nl-NL</rim:Value>", "<rim:Value>&xxe;</rim:Value>");
        for (String endpoint : ENDPOINTS) {
            HttpResponse<String> response = RawSoap.post(gateway.endpoint(endpoint), xml);
            assertSenderFault(response, "DTD");
            assertThat(response.body()).doesNotContain("root:");
        }
        String query = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!DOCTYPE s:Envelope [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + withoutProlog(RawSoap.sample("iti18-find-documents.xml")).replace("'999990019^^^", "'&xxe;^^^");
        HttpResponse<String> response = RawSoap.post(gateway.endpoint("registry/iti18"), query);
        assertSenderFault(response, "DTD");
        assertThat(response.body()).doesNotContain("root:");
    }

    @Test
    void veryDeepNesting() {
        String xml = iti41();
        int header = xml.indexOf("<a:ReplyTo>");
        String deep = xml.substring(0, header) + "<x xmlns=\"urn:example:deep\">".repeat(10_000) + "</x>".repeat(10_000)
                + xml.substring(header);
        eachEndpoint(deep, "Maximum Element Depth limit");
    }

    @Test
    void bodyAboveTheRequestSizeLimitIs413() {
        byte[] body = new byte[SharedGateway.MAX_REQUEST_BYTES + 1];
        Arrays.fill(body, (byte) ' ');
        byte[] start = iti41().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, body, 0, start.length);
        for (String endpoint : ENDPOINTS) {
            HttpResponse<String> response = RawSoap.post(gateway.endpoint(endpoint), body, RawSoap.SOAP_12);
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(RawSoap.faultCode(response.body())).isEqualTo("soap:Sender");
            assertThat(response.body()).contains("exceeds the limit of " + SharedGateway.MAX_REQUEST_BYTES + " bytes");
        }
    }

    @Test
    void chunkedBodyAboveTheRequestSizeLimitIsAFault() {
        String xml = iti41();
        int end = xml.indexOf("</xdsb:Document>");
        String padded = xml.substring(0, end) + "QUFB".repeat(SharedGateway.MAX_REQUEST_BYTES / 4) + xml.substring(end);
        HttpResponse<String> response = RawSoap.postChunked(gateway.endpoint("repository/iti41"),
                padded.getBytes(StandardCharsets.UTF_8), RawSoap.SOAP_12);
        assertThat(response.statusCode()).as("too large, whatever the SOAP stack made of the failed read").isEqualTo(413);
        assertThat(RawSoap.faultCode(response.body())).as(response.body()).isNotNull();
        assertThat(response.body()).doesNotContain("ResponseStatusType:Success");
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/plain; charset=UTF-8"})
    void nonXmlContentTypeWithNonXmlBody(String contentType) {
        for (String endpoint : ENDPOINTS) {
            HttpResponse<String> response = RawSoap.post(gateway.endpoint(endpoint),
                    "{\"query\": \"FindDocuments\"}".getBytes(StandardCharsets.UTF_8), contentType);
            assertThat(RawSoap.faultCode(response.body())).as(response.body()).isEqualTo("soap:Sender");
        }
    }

    @Test
    void validEnvelopeWithANonSoapContentTypeIsRefusedWith415() {
        HttpResponse<String> response = RawSoap.post(gateway.endpoint("repository/iti41"),
                iti41().getBytes(StandardCharsets.UTF_8), "text/plain; charset=UTF-8");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(RawSoap.faultCode(response.body())).as(response.body()).isEqualTo("soap:Sender");
        assertThat(response.body()).doesNotContain("ResponseStatusType:Success");
    }

    @Test
    void multipartContentTypeWithoutMimePartsIsAFault() {
        HttpResponse<String> response = RawSoap.post(gateway.endpoint("repository/iti41"),
                iti41().getBytes(StandardCharsets.UTF_8), "multipart/related; boundary=missing; type=\"application/xop+xml\"");
        assertThat(RawSoap.faultCode(response.body())).as(response.body()).isNotNull();
        assertThat(response.body()).doesNotContain("ResponseStatusType:Success");
    }

    @AfterAll
    static void nothingStoredAndStillHealthy() {
        assertThat(gateway.isReady()).as("readiness after the hostile requests").isTrue();
        if (!HOSTILE_DOCUMENT_UIDS.isEmpty()) {
            assertThat(registry.documentsByUniqueId(HOSTILE_DOCUMENT_UIDS.toArray(String[]::new))).isEmpty();
        }
        assertThat(countFor(client, PATIENT)).isEqualTo(patientObjectsBefore);

        // one more marker: the gauges must move by exactly that much, nothing else was written
        registerMarker();
        await("registry gauges after one legitimate submission").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Gateway.Counts now = gateway.counts();
                    assertThat(now.total()).isEqualTo(countsBefore.total() + 3);
                    assertThat(now.repositoryDocuments()).isEqualTo(countsBefore.repositoryDocuments() + 1);
                });
    }
}
