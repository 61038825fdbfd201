package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.gateway.bridge.TestStudies.Patient;
import nl.beeldbrug.gateway.bridge.TestStudies.Study;
import nl.beeldbrug.gateway.bridge.pix.Hl7Fixtures;
import nl.beeldbrug.gateway.bridge.pix.Mllp;
import nl.beeldbrug.gateway.security.Tokens;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.gateway.testing.SecureGateway;
import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import nl.beeldbrug.registry.db.Database;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Mutual TLS on the gateway's listeners outside Tomcat, with the HTTPS endpoints' trust anchors, CRL and checker
 * (a test PKI written as PEM files): the PACS bridge's C-STORE SCP against dcmtk's {@code storescu}/{@code echoscu}
 * {@code +tls}, and the ITI-8 MLLP listener against a JDK {@link SSLSocket}. A good client certificate is served;
 * foreign CA, expired, revoked, server-only (no clientAuth) and no certificate fail the handshake, nothing is stored
 * and the listener keeps serving; the Q/R SCP and the prefetch order listener (MLLP) refuse the same certificates. DICOM associations are admitted per calling AE title (strict: unknown AE, a
 * disallowed AE and an AE whose certificate names another URA get A-ASSOCIATE-RJ), and each one has an audit record
 * with the organisation and the configured purpose of use.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.bridge.ae-title=BEELDBRUG",
        "beeldbrug.bridge.publishing.bind-address=127.0.0.1",
        "beeldbrug.bridge.pix-feed-host=127.0.0.1"})
class ListenerTlsIT {

    private static final String DOMAIN = "1.2.528.1.1001.100.1";
    private static final Ura URA = Ura.of("12000003");
    private static final Ura OTHER_URA = Ura.of("87654321");
    private static final Path DIR = directory();
    private static final TestPki PKI = TestPki.create(DIR.resolve("pki"));
    private static final TestPki.Issued GOOD = PKI.client("good-client", URA);
    private static final TestPki.Issued OTHER = PKI.client("other-organisation", OTHER_URA);
    private static final TestPki.Issued REVOKED = revoked();
    private static final Map<String, TestPki.Issued> REFUSED = refused();
    private static int scpPort;
    private static int feedPort;
    private static int qrPort;
    private static int orderPort;

    @DynamicPropertySource
    static void secure(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-listener-tls-postgres");
        SecureGateway.register(registry, PKI, Tokens.ec("issuer-key"), DIR);
        scpPort = Peers.freePort();
        feedPort = Peers.freePort();
        qrPort = Peers.freePort();
        orderPort = Peers.freePort();
        registry.add("beeldbrug.priors.prefetch.enabled", () -> "true");
        registry.add("beeldbrug.priors.prefetch.order-host", () -> "127.0.0.1");
        registry.add("beeldbrug.priors.prefetch.order-port", () -> orderPort);
        registry.add("beeldbrug.dicom.qr.port", () -> qrPort);
        registry.add("beeldbrug.dicom.qr.bind-address", () -> "127.0.0.1");
        registry.add("beeldbrug.dicom.strict-calling-ae", () -> "true");
        registry.add("beeldbrug.dicom.calling-aes[0].ae-title", () -> "AIPLATFORM");
        registry.add("beeldbrug.dicom.calling-aes[0].ura", URA::value);
        registry.add("beeldbrug.dicom.calling-aes[0].purpose", () -> "AI");
        registry.add("beeldbrug.dicom.calling-aes[1].ae-title", () -> "BLOCKED");
        registry.add("beeldbrug.dicom.calling-aes[1].ura", URA::value);
        registry.add("beeldbrug.dicom.calling-aes[1].allowed", () -> "false");
        registry.add("beeldbrug.bridge.sources[0].id", () -> "modality");
        registry.add("beeldbrug.bridge.sources[0].ura", URA::value);
        registry.add("beeldbrug.bridge.sources[0].name", () -> "Ziekenhuis Gelderse Vallei");
        registry.add("beeldbrug.bridge.sources[0].dicom.ae-title", () -> "MODALITY1");
        registry.add("beeldbrug.bridge.sources[0].dicom.port", () -> "104");
        registry.add("beeldbrug.bridge.sources[0].detection.mode", () -> "PUSH");
        registry.add("beeldbrug.bridge.sources[0].detection.interval", () -> "1h");
        registry.add("beeldbrug.bridge.sources[0].identity.strategy", () -> "XREF");
        registry.add("beeldbrug.bridge.sources[0].identity.local-domain", () -> DOMAIN);
        registry.add("beeldbrug.bridge.publishing.spool-dir", () -> DIR.resolve("spool").toString());
        registry.add("beeldbrug.bridge.dicom-port", () -> scpPort);
        registry.add("beeldbrug.bridge.pix-feed-port", () -> feedPort);
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    AuditStore audit;

    private final TestStudies studies = new TestStudies(DIR.resolve("files"));

    // ----------------------------------------------------------------------------------------------- DICOM

    @Test
    void dicomRefusedCertificatesStoreNothingAndAGoodOneIsStoredWithItsPurposeOnRecord() {
        for (var refused : REFUSED.entrySet()) {
            Study study = oneInstanceStudy("ACC-" + refused.getKey());
            assertThat(storescu(tls(refused.getValue()), "MODALITY1", study).exitCode()).as(refused.getKey()).isNotZero();
            assertThat(instancesOf(study)).as(refused.getKey()).isZero();
        }
        Study anonymous = oneInstanceStudy("ACC-NONE");
        assertThat(storescu(List.of("+tla", "+cf", PKI.trustAnchorPem().toString()), "MODALITY1", anonymous).exitCode()).isNotZero();
        assertThat(instancesOf(anonymous)).isZero();
        Study plain = oneInstanceStudy("ACC-PLAIN");
        assertThat(storescu(List.of(), "MODALITY1", plain).exitCode()).isNotZero();
        assertThat(instancesOf(plain)).isZero();

        Study good = oneInstanceStudy("ACC-GOOD");
        Peers.Result stored = storescu(tls(GOOD), "MODALITY1", good);
        assertThat(stored.exitCode()).as(stored.output()).isZero();
        assertThat(instancesOf(good)).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(associations("MODALITY1"))
                .anySatisfy(r -> {
                    assertThat(r.outcome()).isEqualTo("Success");
                    assertThat(r.organisation()).isEqualTo(URA.value());
                    assertThat(r.purpose()).isEqualTo("TREAT");
                    assertThat(r.message()).contains(good.studyUid()).contains("1 stored, 0 refused");
                }));
    }

    @Test
    void dicomAssociationsAreAdmittedPerCallingAeTitle() {
        Peers.Result echo = echoscu(tls(GOOD), "AIPLATFORM");
        assertThat(echo.exitCode()).as(echo.output()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(associations("AIPLATFORM"))
                .anySatisfy(r -> {
                    assertThat(r.outcome()).isEqualTo("Success");
                    assertThat(r.organisation()).isEqualTo(URA.value());
                    assertThat(r.purpose()).isEqualTo("AI");
                }));

        Map<String, List<String>> rejected = new LinkedHashMap<>();
        rejected.put("UNKNOWNAE", tls(GOOD));                 // strict: not configured
        rejected.put("BLOCKED", tls(GOOD));                   // configured, allowed=false
        rejected.put("MODALITY1", tls(OTHER));                // certificate of another organisation than configured
        rejected.forEach((ae, options) -> {
            Peers.Result answer = echoscu(options, ae);
            assertThat(answer.exitCode()).as(ae).isNotZero();
            assertThat(answer.output()).as(ae).containsIgnoringCase("Rejected");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String ae : rejected.keySet()) {
                assertThat(associations(ae)).as(ae).anySatisfy(r -> {
                    assertThat(r.outcome()).isEqualTo("MinorFailure");
                    assertThat(r.message()).contains("association rejected");
                });
            }
        });
        assertThat(echoscu(tls(GOOD), "MODALITY1").exitCode()).isZero(); // the SCP still serves
    }

    @Test
    void theQueryRetrieveScpRefusesTheSameCertificates() {
        REFUSED.forEach((reason, certificate) ->
                assertThat(echoscu(tls(certificate), "AIPLATFORM", qrPort).exitCode()).as(reason).isNotZero());
        assertThat(echoscu(List.of("+tla", "+cf", PKI.trustAnchorPem().toString()), "AIPLATFORM", qrPort).exitCode()).isNotZero();
        assertThat(echoscu(tls(OTHER), "AIPLATFORM", qrPort).exitCode()).as("certificate of another URA").isNotZero();
        Peers.Result good = echoscu(tls(GOOD), "AIPLATFORM", qrPort);
        assertThat(good.exitCode()).as(good.output()).isZero();
    }

    // ------------------------------------------------------------------------------------------------ MLLP

    @Test
    void mllpRefusedCertificatesFailTheHandshakeAndChangeNothing() throws IOException {
        String a01 = Hl7Fixtures.read("iti8-adt-a01.hl7");
        Map<String, SSLContext> refused = new LinkedHashMap<>();
        REFUSED.forEach((reason, issued) -> refused.put(reason, TestPki.presenting(issued, PKI.root().certificate())));
        refused.put("NO_CERTIFICATE", TestPki.sslContext(null, PKI.root().certificate()));
        refused.forEach((reason, context) -> assertThatThrownBy(() -> mllp(context, a01)).as(reason).isInstanceOf(IOException.class));
        assertThatThrownBy(() -> Mllp.exchange(feedPort, a01)).as("plain TCP").isInstanceOf(IOException.class);
        assertThat(xrefs("PAT-1001")).isZero();

        String ack = mllp(TestPki.sslContext(GOOD, PKI.root().certificate()), a01);
        assertThat(Mllp.field(ack, "MSA-1")).isEqualTo("AA");
        assertThat(xrefs("PAT-1001")).isEqualTo(1);
    }

    @Test
    void thePrefetchOrderListenerRefusesTheSameCertificates() throws IOException {
        String order = Hl7Fixtures.read("orm-o01-invalid-bsn.hl7"); // answered AE once past TLS: no job is started
        Map<String, SSLContext> refused = new LinkedHashMap<>();
        REFUSED.forEach((reason, issued) -> refused.put(reason, TestPki.presenting(issued, PKI.root().certificate())));
        refused.put("NO_CERTIFICATE", TestPki.sslContext(null, PKI.root().certificate()));
        refused.forEach((reason, context) -> assertThatThrownBy(() -> mllp(context, order, orderPort)).as(reason).isInstanceOf(IOException.class));
        assertThatThrownBy(() -> Mllp.exchange(orderPort, order)).as("plain TCP").isInstanceOf(IOException.class);

        String ack = mllp(TestPki.sslContext(GOOD, PKI.root().certificate()), order, orderPort);
        assertThat(Mllp.field(ack, "MSA-1")).isEqualTo("AE");
    }

    // --------------------------------------------------------------------------------------------- helpers

    private static String mllp(SSLContext context, String message) throws IOException {
        return mllp(context, message, feedPort);
    }

    private static String mllp(SSLContext context, String message, int port) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(20_000);
            socket.startHandshake();
            Mllp.write(socket.getOutputStream(), message);
            return Mllp.read(socket.getInputStream());
        }
    }

    private Study oneInstanceStudy(String accession) {
        Study study = studies.study(Patient.bsnAsPatientId("999990019"), accession);
        studies.series(study, "CT_small.dcm", "CT", "CHEST", 1);
        return study;
    }

    private static List<String> tls(TestPki.Issued client) {
        return List.of("+tls", client.keyPem().toString(), client.chainPem().toString(), "-pw", "+cf", PKI.trustAnchorPem().toString());
    }

    private static Peers.Result storescu(List<String> tls, String callingAe, Study study) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu", "dcmtk")));
        cmd.addAll(tls);
        cmd.addAll(List.of("-aet", callingAe, "-aec", "BEELDBRUG", "127.0.0.1", Integer.toString(scpPort)));
        study.files().forEach(f -> cmd.add(f.toString()));
        return Peers.runAllowingFailure(cmd.toArray(String[]::new));
    }

    private static Peers.Result echoscu(List<String> tls, String callingAe) {
        return echoscu(tls, callingAe, scpPort);
    }

    private static Peers.Result echoscu(List<String> tls, String callingAe, int port) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("echoscu", "dcmtk")));
        cmd.addAll(tls);
        cmd.addAll(List.of("-aet", callingAe, "-aec", "BEELDBRUG", "127.0.0.1", Integer.toString(port)));
        return Peers.runAllowingFailure(cmd.toArray(String[]::new));
    }

    private List<AuditRecord> associations(String callingAe) {
        return audit.latest(500).stream()
                .filter(r -> "110104".equals(r.eventId()) && r.message().contains("\"" + callingAe + "\""))
                .toList();
    }

    private long instancesOf(Study study) {
        return count("select count(*) from bridge_instance where study_uid = ?", study.studyUid());
    }

    private long xrefs(String localId) {
        return count("select count(*) from patient_xref where local_domain = '" + DOMAIN + "' and local_id = ?", localId);
    }

    private long count(String sql, String parameter) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, parameter);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static TestPki.Issued revoked() {
        TestPki.Issued issued = PKI.client("revoked-client", URA);
        PKI.revoke(issued);
        return issued;
    }

    private static Map<String, TestPki.Issued> refused() {
        Map<String, TestPki.Issued> refused = new LinkedHashMap<>();
        refused.put("UNTRUSTED", PKI.foreignClient("foreign-client", URA));
        refused.put("EXPIRED", PKI.expiredClient("expired-client", URA));
        refused.put("REVOKED", REVOKED);
        refused.put("NOT_FOR_CLIENT_AUTH", PKI.serverOnly("server-only", URA));
        return refused;
    }

    private static Path directory() {
        try {
            return Files.createTempDirectory(Path.of("target"), "listener-tls-it");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
