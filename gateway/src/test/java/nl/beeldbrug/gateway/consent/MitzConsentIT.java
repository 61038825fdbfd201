package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.adapters.mitz.testing.MitzSimulator;
import nl.beeldbrug.adapters.mitz.testing.MitzSimulator.Decision;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.DecisionRule;
import nl.beeldbrug.registry.consent.NationalConsentService;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway with {@code beeldbrug.consent.national-mode=NATIONAL} and {@code beeldbrug.consent.mitz.*} pointing at
 * the Mitz simulator (mutual TLS on 127.0.0.1): the {@code MitzClient} bean decides TREAT requests through the
 * {@link ReleaseGuard} every release point uses — Permit releases the study, Deny, NotApplicable, Indeterminate and
 * a timeout do not.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.consent.national-mode=NATIONAL",
        "beeldbrug.consent.mitz.connect-timeout=10s",  // generous: the test machine is shared and slow
        "beeldbrug.consent.mitz.request-timeout=10s",
        "beeldbrug.consent.mitz.cache-ttl=0s"})
class MitzConsentIT {

    private static final Ura REQUESTER = Ura.of("90000002");
    private static final String HOLDER = "90000001";
    private static final MitzSimulator MITZ;
    private static final TestPki PKI;

    static {
        try {
            Files.createDirectories(Path.of("target"));
            PKI = TestPki.create(Files.createTempDirectory(Path.of("target"), "it-mitz").resolve("pki"));
            MITZ = MitzSimulator.start(TestPki.sslContext(PKI.server("mitz"), PKI.root().certificate()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void mitz(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-mitz-postgres");
        TestPki.Issued gateway = PKI.client("gateway", Ura.of(HOLDER));
        registry.add("beeldbrug.consent.mitz.endpoint", () -> MITZ.endpoint().toString());
        registry.add("beeldbrug.consent.mitz.certificate-chain", () -> gateway.chainPem().toString());
        registry.add("beeldbrug.consent.mitz.private-key", () -> gateway.keyPem().toString());
        registry.add("beeldbrug.consent.mitz.trust-anchors", () -> PKI.trustAnchorPem().toString());
    }

    @Autowired
    ReleaseGuard guard;
    @Autowired
    Requesters requesters;
    @Autowired
    NationalConsentService national;

    @AfterEach
    void noDelay() {
        MITZ.delay(Duration.ZERO);
    }

    @AfterAll
    static void stop() {
        MITZ.close();
    }

    @Test
    void theMitzClientIsTheNationalConsentService() {
        assertThat(national.getClass().getSimpleName()).isEqualTo("MitzClient");
    }

    @Test
    void permitReleasesTheStudy() {
        MITZ.decide("999990007", Decision.Permit);
        assertThat(decide("999990007")).isEqualTo(new Outcome(true, DecisionRule.NATIONAL_PERMIT));
        assertThat(MITZ.received()).isNotEmpty();
    }

    @Test
    void denyNotApplicableAndIndeterminateDoNot() {
        MITZ.decide("999990019", Decision.Deny);
        MITZ.decide("999990020", Decision.NotApplicable);
        MITZ.decide("999990032", Decision.Indeterminate);
        assertThat(decide("999990019")).isEqualTo(new Outcome(false, DecisionRule.NATIONAL_DENY));
        assertThat(decide("999990020")).isEqualTo(new Outcome(false, DecisionRule.NATIONAL_NOT_APPLICABLE));
        assertThat(decide("999990032")).isEqualTo(new Outcome(false, DecisionRule.NATIONAL_INDETERMINATE));
    }

    @Test
    void aMitzThatDoesNotAnswerInTimeReleasesNothing() {
        MITZ.decide("999990044", Decision.Permit).delay(Duration.ofSeconds(15));
        assertThat(decide("999990044")).isEqualTo(new Outcome(false, DecisionRule.NATIONAL_INDETERMINATE));
    }

    record Outcome(boolean released, DecisionRule rule) {
    }

    /** Whether the ReleaseGuard lets a TREAT request see the patient's study, and the rule that decided. */
    private Outcome decide(String bsn) {
        var context = requesters.of(REQUESTER, PurposeOfUse.TREAT, "dr-test");
        var study = guard.metadata(bsn, "1.2.826.0.1.3680043.2.1125.99." + bsn, DataClass.IMAGING_STUDY, HOLDER);
        ReleaseLog log = ReleaseLog.of(new MockHttpServletRequest());
        boolean released = guard.permits(context, study, log);
        return new Outcome(released, log.entries().get(0).decision().rule());
    }
}
