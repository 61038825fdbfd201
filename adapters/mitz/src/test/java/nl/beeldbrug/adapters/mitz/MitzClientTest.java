package nl.beeldbrug.adapters.mitz;

import nl.beeldbrug.registry.testing.MutableClock;

import nl.beeldbrug.adapters.mitz.testing.MitzSimulator;
import nl.beeldbrug.adapters.mitz.testing.MitzSimulator.Decision;
import nl.beeldbrug.registry.consent.ConsentDecisionEngine;
import nl.beeldbrug.registry.consent.ConsentPolicy;
import nl.beeldbrug.registry.consent.ConsentService;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.DecisionRule;
import nl.beeldbrug.registry.consent.NationalConsentAnswer;
import nl.beeldbrug.registry.consent.NationalConsentMode;
import nl.beeldbrug.registry.consent.NationalConsentQuestion;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Mitz client against the local simulator over real mutual TLS on 127.0.0.1. */
class MitzClientTest {

    private static final Ura SELF = Ura.of("90000001");
    private static final Ura REQUESTER = Ura.of("90000002");

    @TempDir
    static Path directory;
    static TestPki pki;
    static MitzSimulator mitz;
    static SSLContext clientTls;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T10:00:00Z"));

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.create(directory.resolve("pki"));
        mitz = MitzSimulator.start(TestPki.sslContext(pki.server("mitz"), pki.root().certificate()));
        TestPki.Issued beeldbrug = pki.client("beeldbrug", SELF);
        clientTls = MitzTls.fromPem(beeldbrug.chainPem(), beeldbrug.keyPem(), pki.trustAnchorPem());
    }

    @AfterAll
    static void stop() {
        mitz.close();
    }

    @BeforeEach
    void reset() {
        mitz.defaultDecision(Decision.NotApplicable).delay(Duration.ZERO).respondRaw(200, null);
    }

    private MitzClient client(URI endpoint, SSLContext tls) {
        return new MitzClient(new MitzConfig(endpoint, Duration.ofSeconds(2), Duration.ofMillis(800), Duration.ofSeconds(30), 100),
                tls, clock);
    }

    private MitzClient client() {
        return client(mitz.endpoint(), clientTls);
    }

    private static NationalConsentQuestion question(String bsn) {
        return new NationalConsentQuestion(Bsn.of(bsn), REQUESTER, OrganisationType.HOSPITAL, "01.015", PurposeOfUse.TREAT,
                SELF, OrganisationType.ZDC);
    }

    private int requestsFor(String bsn) {
        return (int) mitz.received().stream()
                .filter(r -> r.get(XacmlAttributes.RESOURCE_PATIENT_ID) != null && r.get(XacmlAttributes.RESOURCE_PATIENT_ID).startsWith(bsn))
                .count();
    }

    @Test
    void theFourAnswers() {
        mitz.decide("999990007", Decision.Permit).decide("999990019", Decision.Deny)
                .decide("999990020", Decision.NotApplicable).decide("999990032", Decision.Indeterminate);
        MitzClient client = client();
        assertThat(client.ask(question("999990007"))).isEqualTo(NationalConsentAnswer.PERMIT);
        assertThat(client.ask(question("999990019"))).isEqualTo(NationalConsentAnswer.DENY);
        assertThat(client.ask(question("999990020"))).isEqualTo(NationalConsentAnswer.NOT_APPLICABLE);
        assertThat(client.ask(question("999990032"))).isEqualTo(NationalConsentAnswer.INDETERMINATE);
    }

    @Test
    void theQuestionCarriesItsAttributes() {
        client().ask(question("999990044"));
        MitzSimulator.Received r = mitz.received().stream()
                .filter(x -> "999990044^^^&2.16.840.1.113883.2.4.6.3&ISO".equals(x.get(XacmlAttributes.RESOURCE_PATIENT_ID)))
                .findFirst().orElseThrow();
        assertThat(r.get(XacmlAttributes.SUBJECT_ORGANIZATION_ID)).isEqualTo("urn:oid:2.16.528.1.1007.3.3.90000002");
        assertThat(r.get(XacmlAttributes.SUBJECT_ORGANIZATION_TYPE)).isEqualTo("hospital");
        assertThat(r.get(XacmlAttributes.SUBJECT_ROLE)).isEqualTo("01.015");
        assertThat(r.get(XacmlAttributes.SUBJECT_PURPOSE_OF_USE)).isEqualTo("TREAT");
        assertThat(r.get(XacmlAttributes.RESOURCE_DATA_HOLDER_ID)).isEqualTo("urn:oid:2.16.528.1.1007.3.3.90000001");
        assertThat(r.get(XacmlAttributes.RESOURCE_DATA_HOLDER_TYPE)).isEqualTo("zdc");
        assertThat(r.contentType()).startsWith("application/soap+xml");
    }

    @Test
    void answersAreCachedUntilTheyExpire() {
        mitz.decide("999990056", Decision.Permit);
        MitzClient client = client();
        assertThat(client.ask(question("999990056"))).isEqualTo(NationalConsentAnswer.PERMIT);
        mitz.decide("999990056", Decision.Deny);
        assertThat(client.ask(question("999990056"))).as("from the cache").isEqualTo(NationalConsentAnswer.PERMIT);
        assertThat(requestsFor("999990056")).isEqualTo(1);
        assertThat(client.cachedAnswers()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(29));
        assertThat(client.ask(question("999990056"))).isEqualTo(NationalConsentAnswer.PERMIT);
        clock.advance(Duration.ofSeconds(1));
        assertThat(client.ask(question("999990056"))).as("expired: asked again").isEqualTo(NationalConsentAnswer.DENY);
        assertThat(requestsFor("999990056")).isEqualTo(2);
    }

    @Test
    void anotherQuestionIsAnotherCacheEntry() {
        MitzClient client = client();
        client.ask(question("999990068"));
        NationalConsentQuestion coc = new NationalConsentQuestion(Bsn.of("999990068"), REQUESTER, OrganisationType.HOSPITAL,
                "01.015", PurposeOfUse.COC, SELF, OrganisationType.ZDC);
        client.ask(coc);
        assertThat(requestsFor("999990068")).isEqualTo(2);
    }

    @Test
    void indeterminateIsNeverCached() {
        mitz.decide("999990159", Decision.Indeterminate);
        MitzClient client = client();
        client.ask(question("999990159"));
        client.ask(question("999990159"));
        assertThat(requestsFor("999990159")).isEqualTo(2);
        assertThat(client.cachedAnswers()).isZero();
    }

    @Test
    void aSlowAnswerIsIndeterminate() {
        mitz.decide("999990081", Decision.Permit).delay(Duration.ofSeconds(10));
        MitzClient client = client();
        long start = System.nanoTime();
        assertThat(client.ask(question("999990081"))).isEqualTo(NationalConsentAnswer.INDETERMINATE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(client.cachedAnswers()).isZero();
    }

    @Test
    void anUnreachableServiceIsIndeterminate() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        MitzClient client = client(URI.create("https://127.0.0.1:" + port + "/mitz/closed-question"), clientTls);
        assertThat(client.ask(question("999990093"))).isEqualTo(NationalConsentAnswer.INDETERMINATE);
    }

    @Test
    void malformedAnswersAreIndeterminate() {
        MitzClient client = client();
        for (String[] raw : List.of(new String[]{"200", "garbage"}, new String[]{"200", "<ok/>"},
                new String[]{"500", MitzSimulator.fault("Receiver", "internal")},
                new String[]{"503", MitzSimulator.answer(Decision.Permit)},
                new String[]{"200", MitzSimulator.answer(Decision.Permit).replace(">Permit<", ">Yes<")})) {
            mitz.respondRaw(Integer.parseInt(raw[0]), raw[1]);
            assertThat(client.ask(question("999990111"))).as(raw[0] + " " + raw[1]).isEqualTo(NationalConsentAnswer.INDETERMINATE);
        }
        assertThat(client.cachedAnswers()).isZero();
    }

    @Test
    void anUntrustedServerIsNotAsked() throws Exception {
        try (MitzSimulator impostor = MitzSimulator.start(TestPki.sslContext(pki.foreignServer("impostor"), pki.root().certificate()))) {
            impostor.defaultDecision(Decision.Permit);
            assertThat(client(impostor.endpoint(), clientTls).ask(question("999990123"))).isEqualTo(NationalConsentAnswer.INDETERMINATE);
            assertThat(impostor.received()).isEmpty();
        }
    }

    @Test
    void aRefusedClientCertificateIsIndeterminate() {
        mitz.defaultDecision(Decision.Permit);
        SSLContext foreign = TestPki.sslContext(pki.foreignClient("stranger", REQUESTER), pki.root().certificate());
        SSLContext anonymous = TestPki.sslContext(null, pki.root().certificate());
        int before = mitz.received().size();
        assertThat(client(mitz.endpoint(), foreign).ask(question("999990135"))).isEqualTo(NationalConsentAnswer.INDETERMINATE);
        assertThat(client(mitz.endpoint(), anonymous).ask(question("999990135"))).isEqualTo(NationalConsentAnswer.INDETERMINATE);
        assertThat(mitz.received()).hasSize(before);
    }

    @Test
    void theDecisionEngineFailsClosedThroughThePort() throws Exception {
        mitz.decide("999990147", Decision.Permit);
        ConsentDecisionEngine engine = new ConsentDecisionEngine(ConsentPolicy.defaults().withNationalMode(NationalConsentMode.NATIONAL));
        RequestContext request = new RequestContext(REQUESTER, OrganisationType.HOSPITAL, "01.015", "u", PurposeOfUse.TREAT, clock.instant());
        ResourceMetadata study = new ResourceMetadata(Bsn.of("999990147"), "1.2.3", DataClass.IMAGING_STUDY, SELF, OrganisationType.ZDC);

        ConsentService online = new ConsentService(engine, patient -> List.of(), client());
        assertThat(online.decide(request, study).rule()).isEqualTo(DecisionRule.NATIONAL_PERMIT);

        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ConsentService offline = new ConsentService(engine, patient -> List.of(),
                client(URI.create("https://127.0.0.1:" + port + "/mitz/closed-question"), clientTls));
        assertThat(offline.decide(request, study).rule()).isEqualTo(DecisionRule.NATIONAL_INDETERMINATE);
        assertThat(offline.decide(request, study).permitted()).isFalse();
    }
}
