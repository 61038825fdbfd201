package nl.beeldbrug.adapters.dicom.net;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DICOM service class provider: accepts associations (TLS with required client certificates when configured),
 * at most {@code maxAssociations} at a time; one more is rejected with "local limit exceeded" (PS3.8 9.3.4).
 * <pre>
 * DicomServer scp = DicomServer.start(AssociationConfig.of("BEELDBRUG")
 *         .withStoreHandler(spool, instance -&gt; { archive(instance.file()); return Dimse.SUCCESS; }), 11112, 20);
 * </pre>
 */
public final class DicomServer implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(DicomServer.class);
    private final ServerSocket server;
    private final AssociationConfig config;
    private final int maxAssociations;
    private final AtomicInteger active = new AtomicInteger();
    private final ExecutorService executor;
    private final java.util.Set<Socket> sockets = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private DicomServer(ServerSocket server, AssociationConfig config, int maxAssociations) {
        this.server = server;
        this.config = config;
        this.maxAssociations = maxAssociations;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-scp-" + config.aeTitle());
            t.setDaemon(true);
            return t;
        });
    }

    /** Listens on all interfaces. */
    public static DicomServer start(AssociationConfig config, int port, int maxAssociations) throws IOException {
        return start(config, new InetSocketAddress(port), maxAssociations);
    }

    /** Listens on loopback only (tests, sidecar use). */
    public static DicomServer startOnLoopback(AssociationConfig config, int port, int maxAssociations)
            throws IOException {
        return start(config, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), maxAssociations);
    }

    public static DicomServer start(AssociationConfig config, InetSocketAddress bind, int maxAssociations)
            throws IOException {
        ServerSocket ss = config.tls() != null ? config.tls().getServerSocketFactory().createServerSocket()
                : new ServerSocket();
        if (ss instanceof SSLServerSocket ssl) {
            TlsPolicy.apply(ssl);
        }
        ss.setReuseAddress(true);
        ss.bind(bind, 50);
        DicomServer s = new DicomServer(ss, config, maxAssociations);
        Thread t = new Thread(s::acceptLoop, "dicom-accept-" + config.aeTitle());
        t.setDaemon(true);
        t.start();
        return s;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Sockets of the associations being served, for tests of socket options. */
    java.util.Set<Socket> openSockets() {
        return java.util.Set.copyOf(sockets);
    }

    public int activeAssociations() {
        return active.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                executor.execute(() -> serve(s));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) {
        int n = active.incrementAndGet();
        sockets.add(s);
        try {
            s.setSoTimeout(config.timeouts().artimMillis());
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            PduIO io = new PduIO(new BufferedInputStream(s.getInputStream(), 64 * 1024),
                    new BufferedOutputStream(s.getOutputStream(), 64 * 1024));
            AssociateParams rq;
            try {
                PduIO.Pdu pdu = io.read(0);
                if (pdu.type() != PduIO.ASSOCIATE_RQ) {
                    throw new AbortException(AbortException.SOURCE_PROVIDER, AbortException.REASON_UNEXPECTED_PDU,
                            "expected A-ASSOCIATE-RQ, got PDU type " + pdu.type());
                }
                rq = AssociateParams.decode(pdu.body(), true);
            } catch (AbortException e) {
                LOG.warn("association from {} aborted: {}", s.getInetAddress().getHostAddress(), e.getMessage());
                io.write(PduIO.ABORT, new byte[] {0, 0, (byte) e.source(), (byte) e.reason()});
                return;
            }
            AssociateParams ac;
            AssociationGate.Admitted admitted;
            try {
                if (n > maxAssociations) {
                    throw new RejectException(RejectException.TRANSIENT, RejectException.SOURCE_PRESENTATION,
                            RejectException.PRESENTATION_LOCAL_LIMIT_EXCEEDED);
                }
                ac = Negotiator.accept(rq, config);
                admitted = config.gate().admit(new AssociationRequest(rq.callingAe, rq.calledAe, s.getInetAddress(),
                        peerCertificates(s)));
            } catch (RejectException e) {
                LOG.info("association {} -> {} rejected: {}", rq.callingAe, rq.calledAe, e.getMessage());
                io.write(PduIO.ASSOCIATE_RJ, new byte[] {0, (byte) e.result(), (byte) e.source(), (byte) e.reason()});
                return;
            }
            io.write(PduIO.ASSOCIATE_AC, ac.encode(false));
            LOG.info("association {} -> {} accepted ({} contexts)", rq.callingAe, rq.calledAe,
                    ac.contexts.stream().filter(PresentationContext::accepted).count());
            Association as = new Association(s, io, config, rq, ac, false);
            as.admitted(admitted);
            try {
                as.start(false);
            } finally {
                admitted.ended();
            }
        } catch (IOException e) {
            LOG.debug("association ended: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("association failed", e);
        } finally {
            active.decrementAndGet();
            sockets.remove(s);
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    private static java.util.List<java.security.cert.X509Certificate> peerCertificates(Socket s) {
        if (!(s instanceof SSLSocket ssl)) {
            return java.util.List.of();
        }
        try {
            java.util.List<java.security.cert.X509Certificate> chain = new java.util.ArrayList<>();
            for (java.security.cert.Certificate c : ssl.getSession().getPeerCertificates()) {
                if (c instanceof java.security.cert.X509Certificate x) {
                    chain.add(x);
                }
            }
            return chain;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return java.util.List.of();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            try {
                s.close(); // ends the association's reader; peers see the connection drop
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        executor.shutdownNow();
    }
}
