package nl.beeldbrug.adapters.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import nl.beeldbrug.adapters.dicom.archive.FileArchive;
import nl.beeldbrug.adapters.dicom.testing.DcmtkPeers;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.adapters.dicom.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** DICOM TLS with mutual authentication, against dcmtk's +tls tools; untrusted clients are refused. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsInteropTest {
    private Path tmp;
    private TestPki pki;
    private TestPki rogue;
    private TestPki.Identity server;
    private TestPki.Identity client;
    private TestPki.Identity intruder;
    private FileArchive archive;
    private DicomServer scp;
    private Fixtures.Study study;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        tmp = dir;
        pki = TestPki.create(tmp.resolve("pki"), "BeeldbrugTestCA");
        rogue = TestPki.create(tmp.resolve("rogue"), "RogueCA");
        server = pki.issue("scp");
        client = pki.issue("scu");
        intruder = rogue.issue("intruder");
        archive = new FileArchive(tmp.resolve("archive"));
        scp = DicomServer.startOnLoopback(AssociationConfig.of("BB_TLS").withTls(pki.context(server))
                .withStoreHandler(tmp.resolve("spool"), archive), 0, 5);
        study = Fixtures.study(tmp.resolve("src"), "tls");
    }

    @AfterAll
    void stop() throws Exception {
        scp.close();
    }

    private String[] tls(TestPki.Identity id, TestPki trust) {
        return new String[] {"+tls", id.keyPem().toString(), id.certPem().toString(), "-pw", "+cf",
            trust.ca().certPem().toString()};
    }

    @Test
    void storescuOverTlsToOurScp() {
        List<String> cmd = new java.util.ArrayList<>(List.of(Peers.require("storescu", "dcmtk")));
        cmd.addAll(List.of(tls(client, pki)));
        cmd.addAll(List.of("-aec", "BB_TLS", "127.0.0.1", String.valueOf(scp.port()), study.files().get(1).toString()));
        Peers.run(cmd.toArray(String[]::new));
        assertThat(archive.file(Fixtures.instances(study.files().subList(1, 2)).keySet().iterator().next())).isNotNull();
    }

    @Test
    void dcmtkClientWithUntrustedCertificateIsRefused() {
        List<String> cmd = new java.util.ArrayList<>(List.of(Peers.require("echoscu", "dcmtk")));
        cmd.addAll(List.of(tls(intruder, pki)));
        cmd.addAll(List.of("-aec", "BB_TLS", "127.0.0.1", String.valueOf(scp.port())));
        assertThat(Peers.runAllowingFailure(cmd.toArray(String[]::new)).exitCode()).isNotZero();
    }

    @Test
    void ourClientWithUntrustedCertificateIsRefused() throws Exception {
        DicomClient c = new DicomClient(AssociationConfig.of("INTRUDER").withTls(rogueContextTrustingServer()));
        assertThatThrownBy(() -> c.echo(RemoteAe.of("BB_TLS", "127.0.0.1", scp.port())))
                .isInstanceOfAny(SSLException.class, java.net.SocketException.class);
    }

    private javax.net.ssl.SSLContext rogueContextTrustingServer() throws Exception {
        // the intruder trusts our CA (so only the server's check of the client certificate can refuse it)
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", intruder.keys().getPrivate(), new char[0],
                new java.security.cert.X509Certificate[] {intruder.cert()});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.ca().cert());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void ourScuOverTlsToStorescpAndToOurScp() throws Exception {
        Path out = tmp.resolve("storescp-tls");
        try (DcmtkPeers.Peer peer = DcmtkPeers.storescp(out, "STORESCP_TLS", List.of(tls(server, pki)))) {
            DicomClient c = new DicomClient(AssociationConfig.of("BB_SCU").withTls(pki.context(client)));
            RemoteAe remote = RemoteAe.of("STORESCP_TLS", "127.0.0.1", peer.port());
            c.echo(remote);
            RetrieveResult r = c.store(remote, study.files());
            assertThat(r.completed()).isEqualTo(study.files().size());
            assertThat(Fixtures.instances(out)).isEqualTo(Fixtures.instances(study.files()));
            c.echo(RemoteAe.of("BB_TLS", "127.0.0.1", scp.port()));
        }
    }

    @Test
    void contextsBuiltFromPemFilesTalkMutualTls() throws Exception {
        javax.net.ssl.SSLContext fromPem = TlsContexts.fromPem(client.certPem(), client.keyPem(), pki.ca().certPem());
        DicomClient c = new DicomClient(AssociationConfig.of("BB_PEM").withTls(fromPem));
        c.echo(RemoteAe.of("BB_TLS", "127.0.0.1", scp.port()));

        javax.net.ssl.SSLContext untrusting = TlsContexts.fromPem(client.certPem(), client.keyPem(), rogue.ca().certPem());
        DicomClient wrongAnchor = new DicomClient(AssociationConfig.of("BB_PEM").withTls(untrusting));
        assertThatThrownBy(() -> wrongAnchor.echo(RemoteAe.of("BB_TLS", "127.0.0.1", scp.port())))
                .isInstanceOfAny(SSLException.class, java.net.SocketException.class);
        assertThatThrownBy(() -> TlsContexts.fromPem(client.keyPem(), client.keyPem(), pki.ca().certPem()))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("no certificate");
    }
}
