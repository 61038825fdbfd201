package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.StoredAuditEvent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SyslogFramesTest {

    private static final StoredAuditEvent EVENT = new StoredAuditEvent(42, Instant.parse("2026-11-29T12:00:00.123456789Z"),
            new AuditRecord("110112", "ITI-18", "Success", List.of(), "<AuditMessage>é</AuditMessage>"));

    @Test
    void theHeaderIsRfc5424AsAtnaAsksForIt() {
        String message = new String(SyslogFrames.message(EVENT, "gw-1", "beeldbrug", "123"), StandardCharsets.UTF_8);
        assertThat(message).isEqualTo("<85>1 2026-11-29T12:00:00.123456Z gw-1 beeldbrug 123 IHE+RFC-3881"
                + " [meta sequenceId=\"42\"] \uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?><AuditMessage>é</AuditMessage>");
    }

    @Test
    void theFrameCountsOctetsNotCharacters() {
        byte[] message = SyslogFrames.message(EVENT, "gw-1", "beeldbrug", "123");
        byte[] frame = SyslogFrames.frame(message);
        String prefix = message.length + " ";
        assertThat(new String(frame, 0, prefix.length(), StandardCharsets.US_ASCII)).isEqualTo(prefix);
        assertThat(frame).hasSize(prefix.length() + message.length);
        // "é" and the BOM are more bytes than characters
        assertThat(message.length).isGreaterThan(new String(message, StandardCharsets.UTF_8).length());
    }

    @Test
    void headerFieldsAreMadeSafeAndSequenceIdsWrap() {
        assertThat(SyslogFrames.field("my host", 255)).isEqualTo("my_host");
        assertThat(SyslogFrames.field("", 48)).isEqualTo("-");
        assertThat(SyslogFrames.field("a".repeat(60), 48)).hasSize(48);
        assertThat(SyslogFrames.sequenceId(1)).isEqualTo(1);
        assertThat(SyslogFrames.sequenceId(2_147_483_647L)).isEqualTo(2_147_483_647L);
        assertThat(SyslogFrames.sequenceId(2_147_483_648L)).isEqualTo(1);
    }

    @Test
    void anXmlDeclarationAlreadyThereIsNotRepeated() {
        StoredAuditEvent declared = new StoredAuditEvent(1, Instant.EPOCH, new AuditRecord("110112", null, "Success", List.of(),
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><AuditMessage/>"));
        String message = new String(SyslogFrames.message(declared, "h", "a", "1"), StandardCharsets.UTF_8);
        assertThat(message).endsWith("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?><AuditMessage/>");
    }
}
