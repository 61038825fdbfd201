package nl.beeldbrug.gateway.audit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test ATNA audit repository: syslog over mutual TLS (RFC 5425) on 127.0.0.1, octet-counted frames parsed
 * strictly (a bad frame fails the test through {@link #errors()}). With {@code reading=false} it completes the
 * handshake and then never reads (a repository that hangs).
 */
final class SyslogTlsReceiver implements AutoCloseable {

    private static final Pattern SEQUENCE = Pattern.compile("\\[meta sequenceId=\"([0-9]+)\"]");

    private final SSLServerSocket server;
    private final boolean reading;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    SyslogTlsReceiver(SSLContext context, int port, boolean reading) throws IOException {
        this(context, port, reading, "TLSv1.3", "TLSv1.2");
    }

    SyslogTlsReceiver(SSLContext context, int port, boolean reading, String... protocols) throws IOException {
        this.reading = reading;
        this.server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        server.setEnabledProtocols(protocols);
        server.setReuseAddress(true);
        server.setNeedClientAuth(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        acceptor = new Thread(this::accept, "syslog-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A free port on 127.0.0.1 (for a receiver that starts later). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    int port() {
        return server.getLocalPort();
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    List<String> errors() {
        return List.copyOf(errors);
    }

    /** The {@code meta sequenceId} of every message received, in arrival order. */
    List<Long> sequenceIds() {
        return messages.stream().map(m -> {
            Matcher matcher = SEQUENCE.matcher(m);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1L;
        }).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) server.accept();
                connections.add(socket);
                Thread reader = new Thread(() -> serve(socket), "syslog-receiver-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket socket) {
        try (socket) {
            socket.startHandshake();
            if (!reading) {
                while (!socket.isClosed()) {
                    Thread.onSpinWait();
                    Thread.sleep(50);
                }
                return;
            }
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (true) {
                int length = readLength(in);
                if (length < 0) {
                    return;
                }
                byte[] message = in.readNBytes(length);
                if (message.length != length) {
                    throw new EOFException("frame cut short");
                }
                messages.add(new String(message, StandardCharsets.UTF_8));
            }
        } catch (IOException | InterruptedException e) {
            if (!server.isClosed() && !(e instanceof javax.net.ssl.SSLException) && !(e instanceof java.net.SocketException)) {
                errors.add(e.toString());
            }
        }
    }

    /** MSG-LEN SP; -1 at a clean end of stream between frames. */
    private int readLength(InputStream in) throws IOException {
        ByteArrayOutputStream digits = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (digits.size() == 0) {
                    return -1;
                }
                throw new EOFException("end of stream inside MSG-LEN");
            }
            if (b == ' ') {
                break;
            }
            if (b < '0' || b > '9' || digits.size() > 9) {
                errors.add("not an octet-counted frame");
                throw new IOException("bad frame");
            }
            digits.write(b);
        }
        return Integer.parseInt(digits.toString(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
