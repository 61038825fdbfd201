package nl.beeldbrug.gateway.priors.prefetch;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.util.idgenerator.UUIDGenerator;
import nl.beeldbrug.registry.bridge.PatientIdentifier;
import nl.beeldbrug.registry.priors.ExamDescription;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HL7 v2 orders read from golden ORM^O01 / OMI^O23 messages, and rejected with the field at fault. */
class OrderMessagesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private final Parser parser = parser();

    private static Parser parser() {
        DefaultHapiContext context = new DefaultHapiContext();
        context.getParserConfiguration().setIdGenerator(new UUIDGenerator());
        return context.getPipeParser();
    }

    private Message message(String name) throws IOException, HL7Exception {
        try (InputStream in = getClass().getResourceAsStream("/fixtures/hl7/" + name)) {
            String er7 = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\n', '\r');
            return parser.parse(er7);
        }
    }

    @Test
    void ormCarriesPatientHospitalLoincExamAndPlannedDate() throws Exception {
        PrefetchOrder order = OrderMessages.read(message("orm-o01-ct-thorax.hl7"), NOW);
        assertThat(order.controlId()).isEqualTo("ORM-1");
        assertThat(order.sendingFacility()).isEqualTo("ZIEKENHUIS-A");
        assertThat(order.patient()).containsExactly(new PatientIdentifier("PAT-1001", "1.2.528.1.1001.100.1"),
                new PatientIdentifier("999990019", "2.16.840.1.113883.2.4.6.3"));
        assertThat(order.bsn()).contains("999990019");
        assertThat(order.exam().codes()).containsExactly(new ExamDescription.Code(ExamDescription.LOINC, "24627-2"));
        assertThat(order.exam().text()).isEqualTo("CT Chest");
        assertThat(order.planned()).isEqualTo(Instant.parse("2026-12-02T09:00:00Z"));
    }

    @Test
    void omiCarriesLocalCodeAndTq1Date() throws Exception {
        PrefetchOrder order = OrderMessages.read(message("omi-o23-mri-knie.hl7"), NOW);
        assertThat(order.bsn()).isEmpty();
        assertThat(order.exam().codes()).containsExactly(new ExamDescription.Code("L", "MRKNL"));
        assertThat(order.exam().text()).isEqualTo("MRI knie li");
        assertThat(order.planned()).isEqualTo(Instant.parse("2026-12-03T07:15:00Z"));
    }

    @Test
    void invalidBsnIsAeOnPid3() throws Exception {
        Message orm = message("orm-o01-invalid-bsn.hl7");
        assertThatThrownBy(() -> OrderMessages.read(orm, NOW)).isInstanceOfSatisfying(OrderRejectedException.class, e -> {
            assertThat(e.ack()).isEqualTo(AcknowledgmentCode.AE);
            assertThat(e.error()).isEqualTo(ErrorCode.DATA_TYPE_ERROR);
            assertThat(e.segment()).isEqualTo("PID");
            assertThat(e.field()).isEqualTo(3);
            assertThat(e.getMessage()).doesNotContain("999990018");
        });
        String ack = parser.encode(OrderMessages.rejected(orm, catchRejection(orm)));
        assertThat(ack).contains("MSA|AE|ORM-2").contains("ERR|");
    }

    @Test
    void acceptedIsAa() throws Exception {
        String ack = parser.encode(OrderMessages.accepted(message("orm-o01-ct-thorax.hl7"), "2 priors queued"));
        assertThat(ack).contains("MSA|AA|ORM-1|2 priors queued");
    }

    @Test
    void thePlacerOrderNumberComesFromOrc2ElseObr2AndIsRequired() throws Exception {
        assertThat(OrderMessages.read(message("orm-o01-ct-thorax.hl7"), NOW).placerOrder()).isEqualTo("ORD-1");
        assertThat(OrderMessages.read(message("omi-o23-mri-knie.hl7"), NOW).placerOrder()).isEqualTo("ORD-2");
        Message onlyObr = parser.parse("MSH|^~\\&|RIS|ZIEKENHUIS-A|B|B|20261129120000||ORM^O01|O-3|P|2.3.1\r"
                + "PID|||999990019^^^&2.16.840.1.113883.2.4.6.3&ISO\rORC|NW\rOBR|1|ORD-3||24627-2^CT Chest^LN\r");
        assertThat(OrderMessages.read(onlyObr, NOW).placerOrder()).isEqualTo("ORD-3");
        Message none = parser.parse("MSH|^~\\&|RIS|ZIEKENHUIS-A|B|B|20261129120000||ORM^O01|O-4|P|2.3.1\r"
                + "PID|||999990019^^^&2.16.840.1.113883.2.4.6.3&ISO\rORC|NW\rOBR|1|||24627-2^CT Chest^LN\r");
        assertThatThrownBy(() -> OrderMessages.read(none, NOW)).isInstanceOfSatisfying(OrderRejectedException.class, e -> {
            assertThat(e.ack()).isEqualTo(AcknowledgmentCode.AE);
            assertThat(e.error()).isEqualTo(ErrorCode.REQUIRED_FIELD_MISSING);
            assertThat(e.segment()).isEqualTo("ORC");
            assertThat(e.field()).isEqualTo(2);
        });
    }

    @Test
    void otherMessageTypesAreAr() throws Exception {
        Message adt = parser.parse("MSH|^~\\&|HIS|H|B|B|20261129120000||ADT^A01|A-1|P|2.3.1\rEVN|A01\rPID|||1^^^H\r");
        assertThatThrownBy(() -> OrderMessages.read(adt, NOW)).isInstanceOfSatisfying(OrderRejectedException.class,
                e -> assertThat(e.ack()).isEqualTo(AcknowledgmentCode.AR));
    }

    @Test
    void localTimestampsAreDutchTime() throws Exception {
        assertThat(OrderMessages.timestamp("20260701", "OBR-7")).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
        assertThat(OrderMessages.timestamp("202601151030", "OBR-7")).isEqualTo(Instant.parse("2026-01-15T09:30:00Z"));
        assertThatThrownBy(() -> OrderMessages.timestamp("2026x", "ORC-15")).isInstanceOf(OrderRejectedException.class);
    }

    private OrderRejectedException catchRejection(Message orm) {
        try {
            OrderMessages.read(orm, NOW);
            throw new AssertionError("not rejected");
        } catch (OrderRejectedException e) {
            return e;
        }
    }
}
