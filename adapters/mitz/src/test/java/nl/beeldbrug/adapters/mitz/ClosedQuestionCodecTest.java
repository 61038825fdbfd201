package nl.beeldbrug.adapters.mitz;

import nl.beeldbrug.adapters.mitz.testing.MitzSimulator;
import nl.beeldbrug.registry.consent.NationalConsentAnswer;
import nl.beeldbrug.registry.consent.NationalConsentQuestion;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClosedQuestionCodecTest {

    private final ClosedQuestionCodec codec = new ClosedQuestionCodec();
    static final NationalConsentQuestion QUESTION = new NationalConsentQuestion(Bsn.of("999990019"), Ura.of("90000002"),
            OrganisationType.HOSPITAL, "01.015", PurposeOfUse.COC, Ura.of("90000001"), OrganisationType.ZDC);

    @Test
    void theRequestIsAnXacmlQueryInASoapEnvelope() throws Exception {
        String xml = codec.request(QUESTION, "m-1", Instant.parse("2026-06-01T10:00:00Z"));
        assertThat(xml).contains("http://www.w3.org/2003/05/soap-envelope", "XACMLAuthzDecisionQuery", "ID=\"_m-1\"",
                "IssueInstant=\"2026-06-01T10:00:00Z\"", "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17",
                ">999990019^^^&amp;2.16.840.1.113883.2.4.6.3&amp;ISO<", ">urn:oid:2.16.528.1.1007.3.3.90000002<",
                ">urn:oid:2.16.528.1.1007.3.3.90000001<", ">COC<", ">01.015<", ">hospital<", ">zdc<");
        // well-formed and namespace-correct: our own reader finds the structure
        var doc = ClosedQuestionCodec.newBuilder().parse(new java.io.ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagNameNS(XacmlAttributes.XACML, "Attribute").getLength()).isEqualTo(8);
        assertThat(doc.getElementsByTagNameNS(XacmlAttributes.XACML_SAMLP, "XACMLAuthzDecisionQuery").getLength()).isEqualTo(1);
    }

    @Test
    void aMissingRoleIsLeftOut() {
        NationalConsentQuestion q = new NationalConsentQuestion(QUESTION.patient(), QUESTION.requester(), QUESTION.requesterType(),
                null, PurposeOfUse.TREAT, QUESTION.dataHolder(), QUESTION.dataHolderType());
        assertThat(codec.request(q, "m", Instant.EPOCH)).doesNotContain(XacmlAttributes.SUBJECT_ROLE).contains(">TREAT<");
    }

    @Test
    void theFourDecisionsAreRead() throws Exception {
        for (MitzSimulator.Decision d : MitzSimulator.Decision.values()) {
            NationalConsentAnswer expected = switch (d) {
                case Permit -> NationalConsentAnswer.PERMIT;
                case Deny -> NationalConsentAnswer.DENY;
                case NotApplicable -> NationalConsentAnswer.NOT_APPLICABLE;
                case Indeterminate -> NationalConsentAnswer.INDETERMINATE;
            };
            assertThat(codec.answer(MitzSimulator.answer(d).getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
        }
    }

    @Test
    void severalResultsGiveTheMostRestrictive() throws Exception {
        String twoResults = "<xacml:Response xmlns:xacml='urn:oasis:names:tc:xacml:3.0:core:schema:wd-17'>"
                + "<xacml:Result><xacml:Decision>Permit</xacml:Decision></xacml:Result>"
                + "<xacml:Result><xacml:Decision>%s</xacml:Decision></xacml:Result></xacml:Response>";
        assertThat(codec.answer(twoResults.formatted("Permit").getBytes(StandardCharsets.UTF_8))).isEqualTo(NationalConsentAnswer.PERMIT);
        assertThat(codec.answer(twoResults.formatted("NotApplicable").getBytes(StandardCharsets.UTF_8))).isEqualTo(NationalConsentAnswer.NOT_APPLICABLE);
        assertThat(codec.answer(twoResults.formatted("Indeterminate").getBytes(StandardCharsets.UTF_8))).isEqualTo(NationalConsentAnswer.INDETERMINATE);
        assertThat(codec.answer(twoResults.formatted("Deny").getBytes(StandardCharsets.UTF_8))).isEqualTo(NationalConsentAnswer.DENY);
    }

    @Test
    void malformedAnswersAreRefused() {
        for (String bad : new String[]{"", "not xml", "<a/>", MitzSimulator.fault("Receiver", "down"),
                MitzSimulator.answer(MitzSimulator.Decision.Permit).replace(">Permit<", ">Allow<"),
                MitzSimulator.answer(MitzSimulator.Decision.Permit).replace("<xacml:Decision>Permit</xacml:Decision>", ""),
                "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>"
                        + "<xacml:Response xmlns:xacml='urn:oasis:names:tc:xacml:3.0:core:schema:wd-17'>"
                        + "<xacml:Result><xacml:Decision>&x;</xacml:Decision></xacml:Result></xacml:Response>"}) {
            assertThatThrownBy(() -> codec.answer(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(ClosedQuestionCodec.MalformedAnswerException.class);
        }
    }
}
