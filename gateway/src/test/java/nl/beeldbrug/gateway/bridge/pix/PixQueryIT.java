package nl.beeldbrug.gateway.bridge.pix;

import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.bridge.DicomPatient;
import nl.beeldbrug.registry.bridge.IdentityResolution;
import nl.beeldbrug.registry.bridge.IdentityResolution.Found;
import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.bridge.IdentityResolution.Unresolved;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code PIX} strategy in the running gateway: ITI-9 PIX Queries through IPF's {@code pix-iti9} producer over
 * MLLP to our own PIX Manager simulator on 127.0.0.1.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false"})
class PixQueryIT {

    static final String DOMAIN = "1.2.528.1.1001.100.1";

    private static PixManagerSimulator pixManager;

    @DynamicPropertySource
    static void pixManager(DynamicPropertyRegistry registry) throws IOException {
        Map<String, String> table = new HashMap<>();
        table.put("PAT-1001", "999990019");
        table.put("PAT-1002", "");           // known, no BSN: NF
        table.put("PAT-1003", "999990018");  // fails the elfproef
        pixManager = new PixManagerSimulator(DOMAIN, table, Set.of("PAT-SLOW"));
        // a list binds from one property source only: the whole source entry is given here
        registry.add("beeldbrug.bridge.sources[0].id", () -> "hospital");
        registry.add("beeldbrug.bridge.sources[0].ura", () -> "12345678");
        registry.add("beeldbrug.bridge.sources[0].name", () -> "Ziekenhuis Test");
        registry.add("beeldbrug.bridge.sources[0].identity.strategy", () -> "PIX");
        registry.add("beeldbrug.bridge.sources[0].identity.local-domain", () -> "urn:oid:" + DOMAIN);
        registry.add("beeldbrug.bridge.sources[0].identity.pix-host", () -> "127.0.0.1");
        registry.add("beeldbrug.bridge.sources[0].identity.pix-port", pixManager::port);
        registry.add("beeldbrug.bridge.sources[0].identity.pix-timeout", () -> "1s");
        FreshDatabase.register(registry, "pix-query-it");
    }

    @AfterAll
    static void stop() throws IOException {
        pixManager.close();
    }

    @Autowired
    @Qualifier("pixIdentityResolver")
    PatientIdentityResolver resolver;

    private IdentityResolution resolve(String localId) {
        return resolver.resolve("hospital", DicomPatient.of(localId, null));
    }

    @Test
    void aKnownLocalIdGivesItsBsn() {
        assertThat(resolve("PAT-1001")).isEqualTo(new Found(Bsn.of("999990019")));
        String request = pixManager.requests().get(pixManager.requests().size() - 1);
        assertThat(Mllp.field(request, "MSH-9")).isEqualTo("QBP^Q23^QBP_Q21");
        assertThat(Mllp.field(request, "QPD-3")).isEqualTo("PAT-1001^^^&" + DOMAIN + "&ISO");
        assertThat(Mllp.field(request, "QPD-4")).isEqualTo("^^^&" + Bsn.OID + "&ISO");
    }

    @Test
    void anUnknownLocalIdIsNotFound() {
        assertThat(resolve("PAT-9999")).isInstanceOfSatisfying(Unresolved.class, u -> {
            assertThat(u.reason()).isEqualTo(Reason.NO_BSN);
            assertThat(u.detail()).contains("does not know");
        });
    }

    @Test
    void aKnownPatientWithoutBsnIsNotFound() {
        assertThat(resolve("PAT-1002")).isInstanceOfSatisfying(Unresolved.class, u -> {
            assertThat(u.reason()).isEqualTo(Reason.NO_BSN);
            assertThat(u.detail()).contains("no BSN");
        });
    }

    @Test
    void aBsnFailingTheElfproefIsRefused() {
        assertThat(resolve("PAT-1003")).isInstanceOfSatisfying(Unresolved.class,
                u -> assertThat(u.reason()).isEqualTo(Reason.INVALID_BSN));
    }

    @Test
    void noAnswerInTimeFailsWithTheReasonAndTheNextQueryWorks() {
        assertThat(resolve("PAT-SLOW")).isInstanceOfSatisfying(Unresolved.class, u -> {
            assertThat(u.reason()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(u.detail()).contains("no answer within 1000 ms");
        });
        assertThat(resolve("PAT-1001")).isEqualTo(new Found(Bsn.of("999990019")));
    }

    @Test
    void aSourceThatIsNotConnectedIsNotResolved() {
        assertThat(resolver.resolve("elsewhere", DicomPatient.of("PAT-1001", null)))
                .isInstanceOf(Unresolved.class);
    }
}
