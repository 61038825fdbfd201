package nl.beeldbrug.conformance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal ATNA audit repository: receives RFC 5424 syslog messages over UDP on loopback and keeps
 * their ATNA payload (the AuditMessage XML) for assertions.
 */
public final class SyslogReceiver implements AutoCloseable {

    private final DatagramSocket socket;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public SyslogReceiver() {
        this(0);
    }

    public SyslogReceiver(int port) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setReceiveBufferSize(4 * 1024 * 1024);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::receive, "syslog-udp-" + socket.getLocalPort());
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void receive() {
        byte[] buffer = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            String text = new String(packet.getData(), packet.getOffset(), packet.getLength(), StandardCharsets.UTF_8);
            int xml = text.indexOf("<AuditMessage");
            messages.add(xml < 0 ? text : text.substring(xml));
        }
    }

    /** Every ATNA message received so far (AuditMessage XML), in arrival order. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Messages whose EventTypeCode is the given IHE transaction (e.g. "ITI-41"). */
    public List<String> forTransaction(String transaction) {
        return messages.stream().filter(m -> m.contains("csd-code=\"" + transaction + "\"")).toList();
    }

    @Override
    public void close() {
        socket.close();
    }
}
