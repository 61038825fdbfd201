package nl.beeldbrug.conformance.fhir;

import nl.beeldbrug.conformance.support.Fhir;
import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.SharedGateway;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies posted to the FHIR base (where ITI-65 takes transaction Bundles) that must be refused before
 * they do harm: malformed JSON and XML → 400, XML with a DTD (entity expansion, external entities) →
 * 400 without expanding or resolving anything, a body over the limit → 413; each with an
 * OperationOutcome, quickly, and the gateway still ready.
 */
@ExtendWith(SharedGateway.class)
class FhirHostileBodiesIT {

    private static Gateway gateway;

    @BeforeAll
    static void setUp(Gateway shared) {
        gateway = shared;
    }

    private static Fhir.Raw post(String contentType, String body) {
        return Fhir.send(gateway, "POST", "", contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Fhir.Raw raw, int status) {
        assertThat(raw.status()).as("status; body %s", raw.body()).isEqualTo(status);
        OperationOutcome outcome = raw.outcome();
        assertThat(outcome.getIssueFirstRep().getSeverity()).isIn(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueSeverity.FATAL);
        assertThat(gateway.isReady()).isTrue();
    }

    @Test
    void malformedJsonIs400() {
        assertRefused(post("application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["), 400);
        assertRefused(post("application/fhir+json", "not json at all"), 400);
        assertRefused(post("application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":\"NoSuchType\"}}]}"), 400);
    }

    @Test
    void malformedXmlIs400() {
        assertRefused(post("application/fhir+xml", "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><entry>"), 400);
        assertRefused(post("application/fhir+xml", "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"></Bundle>"), 400);
    }

    @Test
    void entityExpansionIsRefusedUnexpanded() {
        StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE Bundle [\n<!ENTITY lol \"lol\">\n");
        dtd.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        dtd.append("]>\n<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><entry><resource><Binary>"
                + "<contentType value=\"&lol9;\"/></Binary></resource></entry></Bundle>");
        long start = System.nanoTime();
        Fhir.Raw raw = post("application/fhir+xml", dtd.toString());
        assertRefused(raw, 400);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(raw.body()).doesNotContain("lollol");
    }

    @Test
    void externalEntitiesAreNotResolved() throws Exception {
        Path secret = Files.createTempFile("beeldbrug-xxe", ".txt");
        String marker = "XXE-SECRET-" + System.nanoTime();
        Files.writeString(secret, marker);
        try {
            String body = "<?xml version=\"1.0\"?>\n<!DOCTYPE Bundle [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                    + "<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"transaction\"/><entry><resource><Binary>"
                    + "<contentType value=\"&x;\"/></Binary></resource></entry></Bundle>";
            Fhir.Raw raw = post("application/fhir+xml", body);
            assertRefused(raw, 400);
            assertThat(raw.body()).doesNotContain(marker);
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void bodyOverTheLimitIs413WithAnOperationOutcome() {
        byte[] body = new byte[SharedGateway.MAX_REQUEST_BYTES + 1];
        Arrays.fill(body, (byte) ' ');
        Fhir.Raw raw = Fhir.send(gateway, "POST", "", "application/fhir+json", body);
        assertRefused(raw, 413);
    }
}
