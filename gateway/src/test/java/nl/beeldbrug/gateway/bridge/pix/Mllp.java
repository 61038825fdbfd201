package nl.beeldbrug.gateway.bridge.pix;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** MLLP framing (HL7 v2 over TCP: VT message FS CR), written by hand for the tests' own peers. */
public final class Mllp {

    private static final int VT = 0x0b;
    private static final int FS = 0x1c;
    private static final int CR = 0x0d;

    private Mllp() {
    }

    public static void write(OutputStream out, String message) throws IOException {
        out.write(VT);
        out.write(message.getBytes(StandardCharsets.UTF_8));
        out.write(FS);
        out.write(CR);
        out.flush();
    }

    /** The next framed message; bytes before VT are skipped. */
    public static String read(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != VT) {
            if (b < 0) {
                throw new EOFException("connection closed");
            }
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a message");
            }
            if (b == FS) {
                in.read(); // CR
                return message.toString(StandardCharsets.UTF_8);
            }
            message.write(b);
        }
    }

    /** Sends one message on a new connection to 127.0.0.1:port and returns the answer. */
    public static String exchange(int port, String message) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(20_000);
            write(socket.getOutputStream(), message);
            return read(socket.getInputStream());
        }
    }

    /** The value of a field ("MSA-1", "ERR-1", "MSH-9") of an ER7 message, "" when absent. */
    public static String field(String er7, String segmentAndField) {
        String segment = segmentAndField.substring(0, 3);
        int field = Integer.parseInt(segmentAndField.substring(4));
        for (String line : er7.split("\r")) {
            if (line.startsWith(segment + "|")) {
                String[] fields = line.split("\\|", -1);
                int index = segment.equals("MSH") ? field - 1 : field;
                return index < fields.length ? fields[index] : "";
            }
        }
        return "";
    }
}
