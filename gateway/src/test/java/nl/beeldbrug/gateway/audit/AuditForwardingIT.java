package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.adapters.dicom.net.TlsContexts;
import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.registry.audit.AuditForwardCursor;
import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.testing.TestPki;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openehealth.ipf.commons.audit.DefaultAuditContext;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.event.QueryBuilder;
import org.openehealth.ipf.commons.audit.types.EventType;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Store-and-forward of the audit trail to a syslog-TLS repository on 127.0.0.1 (mutual TLS with the test PKI),
 * over the real PostgreSQL trail: outages, restarts, stalled and broken receivers.
 */
@ExtendWith(RegistryDatabaseExtension.class)
class AuditForwardingIT {

    private static TestPki pki;
    private static TestPki.Issued gatewayIdentity;
    private static SSLContext repositoryTls;

    private final AuditStore store;
    private final AuditForwardCursor cursor;
    private final List<AutoCloseable> resources = new ArrayList<>();

    AuditForwardingIT(TestDatabase db) {
        this.store = new AuditStore(db.dataSource());
        this.cursor = new AuditForwardCursor(db.dataSource());
    }

    @BeforeAll
    static void pki(@TempDir Path dir) {
        pki = TestPki.create(dir);
        gatewayIdentity = pki.client("gateway", Ura.of("12345678"));
        repositoryTls = TestPki.sslContext(pki.server("audit-repository"), pki.root().certificate());
    }

    @AfterEach
    void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.add(resource);
        return resource;
    }

    private AuditForwarder forwarder(int port) throws IOException {
        BeeldbrugProperties.Repository settings = new BeeldbrugProperties.Repository(true, "127.0.0.1", port,
                gatewayIdentity.chainPem(), gatewayIdentity.keyPem(), pki.trustAnchorPem(), "atna", "beeldbrug",
                Duration.ofSeconds(1), Duration.ofSeconds(2), 7, Duration.ofMillis(200), Duration.ofMillis(50),
                Duration.ofMillis(400));
        AuditForwarder forwarder = new AuditForwarder(store, cursor, settings,
                TlsContexts.fromPem(settings.certificateChain(), settings.privateKey(), settings.trustAnchors()), Clock.systemUTC());
        closeLater(forwarder);
        forwarder.start();
        return forwarder;
    }

    private void append(int count, String tag) {
        for (int i = 0; i < count; i++) {
            store.append(new AuditRecord("110112", "ITI-18", "Success", List.of("999990019"),
                    "<AuditMessage><m>" + tag + i + "</m></AuditMessage>"));
        }
    }

    private List<Long> storedIds() {
        return store.after(0, 10_000).stream().map(StoredAuditEvent::id).toList();
    }

    @Test
    void recordsStoredWhileTheRepositoryIsDownAllArriveInOrderOnceItIsUp() throws Exception {
        int port = SyslogTlsReceiver.freePort();
        AuditForwarder forwarder = forwarder(port);
        append(30, "down-");

        await().until(() -> forwarder.status().lastError() != null);
        assertThat(cursor.position("atna")).isZero();

        SyslogTlsReceiver receiver = closeLater(new SyslogTlsReceiver(repositoryTls, port, true));
        await().until(() -> receiver.messages().size() >= 30);
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(storedIds());

        append(5, "up-");
        await().until(() -> receiver.messages().size() >= 35);
        await().until(() -> cursor.position("atna") == store.latestId());
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(storedIds()).doesNotHaveDuplicates();
        assertThat(receiver.errors()).isEmpty();
        assertThat(forwarder.status().forwarded()).isEqualTo(35);

        String first = receiver.messages().get(0);
        assertThat(first).startsWith("<85>1 ").contains(" beeldbrug ").contains(" IHE+RFC-3881 [meta sequenceId=\"")
                .contains("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?><AuditMessage><m>down-0</m></AuditMessage>");
    }

    @Test
    void forwardingResumesAfterARestartWithoutDuplicates() throws Exception {
        SyslogTlsReceiver receiver = closeLater(new SyslogTlsReceiver(repositoryTls, 0, true));
        AuditForwarder first = forwarder(receiver.port());
        append(10, "before-");
        await().until(() -> cursor.position("atna") == store.latestId());
        first.close();

        append(10, "while-stopped-");
        assertThat(cursor.position("atna")).isLessThan(store.latestId());
        forwarder(receiver.port());

        await().until(() -> receiver.messages().size() >= 20);
        await().until(() -> cursor.position("atna") == store.latestId());
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(storedIds()).hasSize(20);
    }

    @Test
    void aStalledOrBrokenRepositoryNeverHoldsUpTheRequestPath() throws Exception {
        // accepts TCP, never answers the TLS handshake
        ServerSocket stalled = closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            while (!stalled.isClosed()) {
                try {
                    held.add(stalled.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        int port = stalled.getLocalPort();
        AuditForwarder forwarder = forwarder(port);
        PersistingAuditMessageQueue queue = new PersistingAuditMessageQueue(store, false, forwarder::wakeUp, documents -> List.of());
        DefaultAuditContext context = new DefaultAuditContext();

        // the request path: 50 transactions audited while the repository hangs
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int i = 0; i < 50; i++) {
                queue.audit(context, new QueryBuilder(EventOutcomeIndicator.Success,
                        EventType.of("ITI-18", "IHE Transactions", "Registry Stored Query"))
                        .setAuditSource("beeldbrug").getMessage());
            }
        });
        assertThat(store.count()).isEqualTo(50);
        await().until(() -> forwarder.status().lastError() != null);
        assertThat(forwarder.status().lastError()).containsIgnoringCase("timed out");
        assertThat(cursor.position("atna")).isZero();

        forwarder.close();
        for (Socket socket : held) {
            socket.close();
        }

        // then (reconfigured) something that is not TLS at all
        ServerSocket garbage = closeLater(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread talker = new Thread(() -> {
            while (!garbage.isClosed()) {
                try (Socket s = garbage.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        });
        talker.setDaemon(true);
        talker.start();
        AuditForwarder toGarbage = forwarder(garbage.getLocalPort());
        await().until(() -> toGarbage.status().lastError() != null && toGarbage.status().lastError().contains("SSL"));
        assertThat(cursor.position("atna")).isZero();
        toGarbage.close();

        // and then the real repository: everything arrives, from the cursor in the database
        SyslogTlsReceiver receiver = closeLater(new SyslogTlsReceiver(repositoryTls, 0, true));
        forwarder(receiver.port());
        await().until(() -> receiver.messages().size() >= 50);
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(storedIds());
    }

    @Test
    void aRepositoryThatStopsReadingNeverConfirmsAndNothingIsLost() throws Exception {
        // completes the handshake, then never reads: every write "succeeds" into the socket buffers
        SyslogTlsReceiver hanging = closeLater(new SyslogTlsReceiver(repositoryTls, 0, false));
        int port = hanging.port();
        AuditForwarder forwarder = forwarder(port);
        append(20, "hanging-");

        await().until(() -> forwarder.status().lastError() != null
                && forwarder.status().lastError().contains("the audit repository did not"));
        assertThat(cursor.position("atna")).isZero();

        // Stop the forwarder before the hanging repository: a peer that closes cleanly (FIN, close_notify) after its
        // TLS layer read our records ahead into user space looks exactly like a confirmation — RFC 5425 has no
        // acknowledgement — so closing the repository first raced with a retry's batch (seen once in CI: 141-147).
        forwarder.close();
        hanging.close();
        SyslogTlsReceiver receiver = closeLater(new SyslogTlsReceiver(repositoryTls, 0, true));
        forwarder(receiver.port());
        await().until(() -> cursor.position("atna") == store.latestId());
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(storedIds());
    }

    @Test
    void aLargeBacklogThatOutgrowsTheSocketBuffersArrivesWhole() throws Exception {
        SyslogTlsReceiver receiver = closeLater(new SyslogTlsReceiver(repositoryTls, 0, true));
        String big = "x".repeat(100_000);
        for (int i = 0; i < 40; i++) { // 4 MB in batches of 7
            store.append(new AuditRecord("110112", "ITI-18", "Success", List.of(), "<AuditMessage>" + big + i + "</AuditMessage>"));
        }
        forwarder(receiver.port());
        await().until(() -> cursor.position("atna") == store.latestId());
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(storedIds());
        assertThat(receiver.messages()).allSatisfy(m -> assertThat(m).contains(big));
    }

    @Test
    void aTls12RepositoryConfirmsLikeATls13One() throws Exception {
        SyslogTlsReceiver receiver = closeLater(new SyslogTlsReceiver(repositoryTls, 0, true, "TLSv1.2"));
        AuditForwarder forwarder = forwarder(receiver.port());
        append(15, "tls12-");
        await().until(() -> cursor.position("atna") == store.latestId());
        assertThat(receiver.sequenceIds()).containsExactlyElementsOf(storedIds());
        assertThat(forwarder.status().lastError()).isNull();
    }
}
