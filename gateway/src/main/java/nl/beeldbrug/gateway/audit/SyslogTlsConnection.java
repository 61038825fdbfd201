package nl.beeldbrug.gateway.audit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One mutual-TLS session with a syslog receiver (RFC 5425) that carries one batch: TLS 1.3/1.2, the server's
 * certificate checked against the trust anchors and its name/IP (endpoint identification), TCP_NODELAY.
 * <p>
 * RFC 5425 has no acknowledgement, and a write "succeeds" as soon as the bytes are in the socket buffers —
 * also when the receiver hangs or is about to crash. So a batch counts as delivered only when, after the
 * frames and our {@code close_notify}, the receiver closes the TCP connection cleanly (FIN): it has then read
 * everything we sent, since closing with unread data makes its kernel reset the connection (RST) instead
 * ({@link #deliver}). Connect and handshake are bounded by {@code connectTimeout};
 * writing and the confirmation by {@code writeTimeout} (a watchdog closes the socket under a write that blocks,
 * since a blocking socket write has no timeout of its own).
 */
final class SyslogTlsConnection implements Closeable {

    private final Socket plain;
    private final SSLSocket socket;
    private final ScheduledExecutorService watchdog;
    private final AtomicBoolean closedByWatchdog = new AtomicBoolean();

    private SyslogTlsConnection(Socket plain, SSLSocket socket, ScheduledExecutorService watchdog) {
        this.plain = plain;
        this.socket = socket;
        this.watchdog = watchdog;
    }

    static SyslogTlsConnection open(SSLContext context, String host, int port, Duration connectTimeout,
                                    ScheduledExecutorService watchdog) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            plain.setSoTimeout((int) connectTimeout.toMillis());
            // autoClose=false: the TCP socket outlives the TLS layer, so the receiver's way of closing it can be read
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return new SyslogTlsConnection(plain, socket, watchdog);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Writes the frames, sends {@code close_notify} and waits for the receiver to close its side; returns only
     * when the receiver has read the whole batch. Throws otherwise (then the batch must be sent again).
     */
    void deliver(List<byte[]> frames, Duration timeout) throws IOException {
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            closedByWatchdog.set(true);
            closeTransport();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            for (byte[] frame : frames) {
                out.write(frame);
            }
            out.flush();
            socket.shutdownOutput(); // TLS close_notify: "that was all"
        } catch (IOException e) {
            if (closedByWatchdog.get()) {
                throw new IOException("the audit repository did not take the records within " + timeout);
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
        // The receiver has read everything up to our close_notify when it then closes TCP cleanly (FIN). Closing
        // with unread data makes its kernel reset the connection (RST) instead — also after a close_notify of its
        // own — so the raw TCP stream, not the TLS layer, tells a confirmation from a receiver that gave up.
        plain.setSoTimeout((int) timeout.toMillis());
        InputStream in = plain.getInputStream();
        byte[] ignored = new byte[512];
        try {
            while (in.read(ignored) >= 0) {
                // its close_notify, session tickets: encrypted records we need not read
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("the audit repository did not confirm the records (close) within " + timeout);
        } catch (IOException e) {
            throw new IOException("the audit repository closed without reading all records (" + e.getMessage() + ")");
        }
    }

    /** Drops the connection without ceremony (from another thread, e.g. at shutdown). */
    void abort() {
        closedByWatchdog.set(true);
        closeTransport();
    }

    /** Closes the TCP socket under the TLS layer: unblocks a stuck write at once. */
    private void closeTransport() {
        try {
            plain.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }

    @Override
    public void close() {
        closeTransport();
    }
}
