package nl.beeldbrug.gateway.bridge.pix;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A PIX Manager of our own for the tests (ITI-9 responder): an MLLP listener on 127.0.0.1 (a free port) that answers
 * each QBP^Q23 with an RSP^K23 from an in-memory table of local id → BSN, as ITI-9 prescribes: AA/OK with PID-3,
 * AA/NF for a known patient without BSN, AE with ERR 204 on QPD-3 for an unknown id (or QPD-4 for another domain
 * than the BSN's). Ids in {@code silent} get no answer at all (a timeout for the client).
 */
final class PixManagerSimulator implements AutoCloseable {

    static final String BSN_OID = "2.16.840.1.113883.2.4.6.3";

    private final String domain;
    private final Map<String, String> bsnByLocalId;
    private final Set<String> silent;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    /** {@code bsnByLocalId}: a null value (use a map that allows it) or "" = known patient without BSN. */
    PixManagerSimulator(String domain, Map<String, String> bsnByLocalId, Set<String> silent) throws IOException {
        this.domain = domain;
        this.bsnByLocalId = bsnByLocalId;
        this.silent = silent;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The requests received, in order (ER7, CR-separated). */
    List<String> requests() {
        return requests;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                connections.add(socket);
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream()) {
            while (true) {
                String request = Mllp.read(in);
                requests.add(request);
                String answer = answer(request);
                if (answer != null) {
                    Mllp.write(socket.getOutputStream(), answer);
                }
            }
        } catch (IOException e) {
            // closed by the client or by close()
        } finally {
            connections.remove(socket);
        }
    }

    /** The RSP^K23 for a QBP^Q23; null = stay silent. */
    String answer(String request) {
        String controlId = Mllp.field(request, "MSH-10");
        String qpd = segment(request, "QPD");
        String[] qpdFields = qpd.split("\\|", -1);
        String tag = qpdFields.length > 2 ? qpdFields[2] : "";
        String[] person = (qpdFields.length > 3 ? qpdFields[3] : "").split("\\^", -1);
        String localId = person[0].replace("\\S\\", "^").replace("\\T\\", "&");
        String requestedDomain = person.length > 3 ? person[3].split("&", -1)[1] : "";
        String whatDomains = qpdFields.length > 4 ? qpdFields[4] : "";
        String header = "MSH|^~\\&|PIX|SIM|" + Mllp.field(request, "MSH-3") + "|" + Mllp.field(request, "MSH-4")
                + "|20261129120000||RSP^K23^RSP_K23|R" + controlId + "|P|2.5\r";
        if (silent.contains(localId)) {
            return null;
        }
        if (!whatDomains.isEmpty() && !whatDomains.contains("&" + BSN_OID + "&")) {
            return header + "MSA|AE|" + controlId + "\rERR||QPD^1^4^1^4|204^Unknown Key Identifier^HL70357|E\r"
                    + "QAK|" + tag + "|AE\r" + qpd + "\r";
        }
        if (!domain.equals(requestedDomain) || !bsnByLocalId.containsKey(localId)) {
            return header + "MSA|AE|" + controlId + "\rERR||QPD^1^3^1^1|204^Unknown Key Identifier^HL70357|E\r"
                    + "QAK|" + tag + "|AE\r" + qpd + "\r";
        }
        String bsn = bsnByLocalId.get(localId);
        if (bsn == null || bsn.isEmpty()) {
            return header + "MSA|AA|" + controlId + "\rQAK|" + tag + "|NF\r" + qpd + "\r";
        }
        return header + "MSA|AA|" + controlId + "\rQAK|" + tag + "|OK\r" + qpd + "\r"
                + "PID|||" + bsn + "^^^NLMINBIZA&" + BSN_OID + "&ISO||~^^^^^^S\r";
    }

    private static String segment(String er7, String name) {
        for (String line : er7.split("\r")) {
            if (line.startsWith(name + "|")) {
                return line;
            }
        }
        return name;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : connections) {
            try {
                socket.close();
            } catch (SocketException ignored) {
                // already closed
            }
        }
        threads.shutdownNow();
    }
}
