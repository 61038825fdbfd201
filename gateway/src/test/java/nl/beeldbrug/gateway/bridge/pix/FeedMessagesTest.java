package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.Parser;
import nl.beeldbrug.registry.bridge.FeedRejectedException;
import nl.beeldbrug.registry.bridge.PatientIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.hl7v2.PIX;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** ITI-8 messages: identifiers read from the golden ADT messages, and the ACKs answered. */
class FeedMessagesTest {

    private static final String DOMAIN = "1.2.528.1.1001.100.1";
    private static final String BSN_OID = "2.16.840.1.113883.2.4.6.3";
    private final Parser parser = PIX.FeedInteractions.ITI_8_PIX.getHl7v2TransactionConfiguration().getParser();

    @BeforeAll
    static void noIdFile() {
        PixTransactions.useUuidControlIds();
    }

    private Message adt(String fixture) throws HL7Exception {
        return parser.parse(Hl7Fixtures.read(fixture));
    }

    @Test
    void admitCarriesTheLocalIdAndTheBsn() throws HL7Exception {
        Message a01 = adt("iti8-adt-a01.hl7");
        assertThat(FeedMessages.event(a01)).isEqualTo("A01");
        assertThat(FeedMessages.controlId(a01)).isEqualTo("A01-1");
        assertThat(FeedMessages.patientIdentifiers(a01)).containsExactly(
                new PatientIdentifier("PAT-1001", DOMAIN), new PatientIdentifier("999990019", BSN_OID));
    }

    @Test
    void mergeCarriesTheSurvivingAndThePriorIds() throws HL7Exception {
        Message a40 = adt("iti8-adt-a40.hl7");
        assertThat(FeedMessages.event(a40)).isEqualTo("A40");
        assertThat(FeedMessages.patientIdentifiers(a40)).containsExactly(new PatientIdentifier("PAT-1003", DOMAIN));
        assertThat(FeedMessages.priorIdentifiers(a40)).containsExactly(new PatientIdentifier("PAT-1001", DOMAIN));
    }

    @Test
    void acceptedIsAaWithTheOutcome() throws HL7Exception, IOException {
        String ack = parser.encode(FeedMessages.accepted(adt("iti8-adt-a01.hl7"), "1 linked, 0 unlinked, 0 unchanged"));
        assertThat(Mllp.field(ack, "MSA-1")).isEqualTo("AA");
        assertThat(Mllp.field(ack, "MSA-2")).isEqualTo("A01-1");
        assertThat(Mllp.field(ack, "MSA-3")).isEqualTo("1 linked, 0 unlinked, 0 unchanged");
        assertThat(Mllp.field(ack, "MSH-9")).startsWith("ACK");
    }

    @Test
    void rejectedIsAeWithErrNamingTheFieldAndCode() throws HL7Exception, IOException {
        String ack = parser.encode(FeedMessages.rejected(adt("iti8-adt-a01-invalid-bsn.hl7"),
                new FeedRejectedException(FeedRejectedException.Error.INVALID_BSN, "the BSN in PID-3 fails the elfproef")));
        assertThat(Mllp.field(ack, "MSA-1")).isEqualTo("AE");
        assertThat(Mllp.field(ack, "MSA-2")).isEqualTo("A01-BAD-BSN");
        assertThat(Mllp.field(ack, "ERR-1")).startsWith("PID^").contains("^3^102&");
        assertThat(ack).doesNotContain("999990018");
    }
}
