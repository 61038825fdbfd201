package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.registry.audit.AuditRecord;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.audit.DefaultAuditContext;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.event.QueryBuilder;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.types.EventType;

import java.time.Clock;
import java.util.List;

import nl.beeldbrug.gateway.consent.OrganisationDirectory;
import nl.beeldbrug.gateway.security.RequesterProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Ura;
import org.mockito.Mockito;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

class PersistingAuditMessageQueueTest {

    @Test
    void recordCarriesEventOutcomeAndPatientWithoutTheAuthority() {
        AuditMessage message = new QueryBuilder(EventOutcomeIndicator.SeriousFailure,
                EventType.of("ITI-18", "IHE Transactions", "Registry Stored Query"))
                .setAuditSource("beeldbrug")
                .addPatientParticipantObject("999990019^^^&2.16.840.1.113883.2.4.6.3&ISO", null, List.of(), null)
                .getMessage();
        String serialized = new DefaultAuditContext().getSerializationStrategy().marshal(message, false);

        AuditRecord record = PersistingAuditMessageQueue.toRecord(message, serialized);

        assertThat(record.eventId()).isEqualTo("110112");
        assertThat(record.eventType()).isEqualTo("ITI-18");
        assertThat(record.outcome()).isEqualTo("SeriousFailure");
        assertThat(record.patientIds()).containsExactly("999990019");
        assertThat(record.message()).contains("ITI-18").contains("999990019");
    }

    @Test
    void bsnPartStripsTheCxComponents() {
        assertThat(PersistingAuditMessageQueue.bsnPart("999990019^^^&2.16.840.1.113883.2.4.6.3&ISO")).isEqualTo("999990019");
        assertThat(PersistingAuditMessageQueue.bsnPart("999990019")).isEqualTo("999990019");
        assertThat(PersistingAuditMessageQueue.bsnPart(null)).isEmpty();
    }

    @Test
    void aMessageEmittedWhileServingARequestCarriesItsRequester() {
        OrganisationDirectory directory = Mockito.mock(OrganisationDirectory.class);
        Mockito.when(directory.typeOf(Mockito.any(Ura.class))).thenReturn(OrganisationType.of("hospital"));
        RequestAuditStamp stamp = new RequestAuditStamp(new Requesters(directory,
                new RequesterProperties("99999999", "hospital", "TREAT", "open-access", "01.015"), Clock.systemUTC()));
        AuditMessage message = query();
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        try {
            stamp.accept(message);
            stamp.accept(message); // a second pass (or a producer's own stamp) adds nothing
        } finally {
            RequestContextHolder.resetRequestAttributes();
        }
        String serialized = new DefaultAuditContext().getSerializationStrategy().marshal(message, false);

        AuditRecord record = PersistingAuditMessageQueue.toRecord(message, serialized);

        assertThat(record.organisation()).isEqualTo("99999999");
        assertThat(record.userId()).isEqualTo("open-access");
        assertThat(record.purpose()).isEqualTo("TREAT");
        assertThat(record.outcome()).isEqualTo("Success");
        assertThat(serialized).contains("urn:oid:2.16.528.1.1007.3.3.99999999").contains("TREAT");
        assertThat(message.getActiveParticipants()).hasSize(4); // querying + responding + user + organisation
    }

    @Test
    void aMessageOutsideARequestIsLeftAsItIs() {
        RequestAuditStamp stamp = new RequestAuditStamp(Mockito.mock(Requesters.class));
        AuditMessage message = query();
        stamp.accept(message);
        AuditRecord record = PersistingAuditMessageQueue.toRecord(message, "<m/>");
        assertThat(record.organisation()).isNull();
        assertThat(record.userId()).isNull();
        assertThat(record.purpose()).isNull();
    }

    private static AuditMessage query() {
        return new QueryBuilder(EventOutcomeIndicator.Success, EventType.of("ITI-18", "IHE Transactions", "Registry Stored Query"))
                .setAuditSource("beeldbrug")
                .setQueryingParticipant("client", null, null, "127.0.0.1", true)
                .setRespondingParticipant("server", null, null, "127.0.0.1", false)
                .addPatientParticipantObject("999990019^^^&2.16.840.1.113883.2.4.6.3&ISO", null, List.of(), null)
                .getMessage();
    }
}
