package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.registry.audit.StoredAuditEvent;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An audit record as one syslog message for the ATNA audit repository: the RFC 5424 header that DICOM PS3.15
 * A.6 and IHE ATNA ask for (PRI 85 = facility authpriv(10) × 8 + severity notice(5), version 1, the time the
 * record was stored, host, application, process id, MSGID {@code IHE+RFC-3881}), the structured data
 * {@code [meta sequenceId="…"]} (RFC 5424 §7.3.1: the record's id, so a repository can discard a record it got
 * twice) and the message as UTF-8 XML after a BOM; framed for TLS by octet counting (RFC 5425 §4.3:
 * {@code MSG-LEN SP SYSLOG-MSG}).
 */
final class SyslogFrames {

    static final int PRI = 10 * 8 + 5;
    static final String MSGID = "IHE+RFC-3881";
    private static final long MAX_SEQUENCE_ID = 2_147_483_647L;

    private SyslogFrames() {
    }

    /** The RFC 5424 message. */
    static byte[] message(StoredAuditEvent event, String hostname, String appName, String processId) {
        String xml = event.record().message();
        if (!xml.startsWith("<?xml")) {
            xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + xml;
        }
        String header = "<" + PRI + ">1 "
                + DateTimeFormatter.ISO_INSTANT.format(event.recordedAt().truncatedTo(ChronoUnit.MICROS)) + " "
                + field(hostname, 255) + " " + field(appName, 48) + " " + field(processId, 128) + " " + MSGID
                + " [meta sequenceId=\"" + sequenceId(event.id()) + "\"] \uFEFF";
        return (header + xml).getBytes(StandardCharsets.UTF_8);
    }

    /** The octet-counted frame of one message (RFC 5425 §4.3). */
    static byte[] frame(byte[] message) {
        byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[length.length + message.length];
        System.arraycopy(length, 0, frame, 0, length.length);
        System.arraycopy(message, 0, frame, length.length, message.length);
        return frame;
    }

    /** RFC 5424 §7.3.1: 1..2147483647, wrapping to 1. */
    static long sequenceId(long id) {
        return (id - 1) % MAX_SEQUENCE_ID + 1;
    }

    /** PRINTUSASCII without spaces, at most {@code max} characters; "-" when empty (NILVALUE). */
    static String field(String value, int max) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder safe = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (safe.length() == max) {
                break;
            }
            safe.append(c > 32 && c < 127 ? c : '_');
        }
        return safe.toString();
    }
}
