package nl.beeldbrug.gateway.bridge.pix;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.Parser;
import nl.beeldbrug.registry.bridge.LocalPatientId;
import nl.beeldbrug.registry.bridge.PatientIndexQuery;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.hl7v2.PIX;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ITI-9 messages against golden files: the QBP^Q23 we send, and our reading of the RSP^K23 cases of ITI-9. */
class PixQueryMessagesTest {

    private static final String DOMAIN = "1.2.528.1.1001.100.1";
    private final Parser parser = PIX.QueryInteractions.ITI_9.getHl7v2TransactionConfiguration().getParser();

    private Message response(String fixture) throws HL7Exception {
        return parser.parse(Hl7Fixtures.read(fixture));
    }

    @Test
    void queryIsTheGoldenQbpQ23WithTheIdEscaped() throws HL7Exception {
        String query = PixQueryMessages.query(new LocalPatientId("urn:oid:" + DOMAIN, "PAT^1001"),
                new PixQueryMessages.Parties("BEELDBRUG", "BEELDBRUG", "PIX", "hospital"), "Q-1",
                Instant.parse("2026-11-29T12:00:00Z"));
        assertThat(Hl7Fixtures.lines(query)).isEqualTo(Hl7Fixtures.lines(Hl7Fixtures.read("iti9-qbp-q23.hl7")));
        // and IPF's ITI-9 parser takes it as a QBP^Q23 whose QPD-3 carries the local id and domain
        Message parsed = parser.parse(query);
        assertThat(parsed.getName()).isEqualTo("QBP_Q21");
        assertThat(new ca.uhn.hl7v2.util.Terser(parsed).get("/QPD-3-1")).isEqualTo("PAT^1001");
    }

    @Test
    void foundGivesTheIdentifiersInTheBsnDomainOnly() throws HL7Exception {
        assertThat(PixQueryMessages.answer(response("iti9-rsp-k23-found.hl7")))
                .isEqualTo(new PatientIndexQuery.Known(List.of("999990019")));
    }

    @Test
    void notFoundIsAKnownPatientWithoutBsn() throws HL7Exception {
        assertThat(PixQueryMessages.answer(response("iti9-rsp-k23-not-found.hl7")))
                .isEqualTo(new PatientIndexQuery.Known(List.of()));
    }

    @Test
    void error204OnQpd3IsAnUnknownLocalId() throws HL7Exception {
        assertThat(PixQueryMessages.answer(response("iti9-rsp-k23-unknown.hl7")))
                .isInstanceOf(PatientIndexQuery.Unknown.class);
    }

    @Test
    void error204OnQpd4IsAFailure() throws HL7Exception {
        assertThat(PixQueryMessages.answer(response("iti9-rsp-k23-unknown-domain.hl7")))
                .isEqualTo(new PatientIndexQuery.Failed("AE, error 204 on QPD-4"));
    }
}
