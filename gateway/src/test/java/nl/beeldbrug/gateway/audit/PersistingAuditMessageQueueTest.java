package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.registry.audit.AuditRecord;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.audit.DefaultAuditContext;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.event.QueryBuilder;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.types.EventType;

import java.util.List;

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
}
