package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCodeRole;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.model.ParticipantObjectIdentificationType;
import org.openehealth.ipf.commons.audit.queue.AuditMessageQueue;
import org.openehealth.ipf.commons.audit.types.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Receives every ATNA audit message IPF emits, stamps it with the requester of the HTTP request being served
 * ({@link RequestAuditStamp}), and stores it durably in the registry's audit trail (NEN 7513), the requester's
 * organisation, user and purpose also as columns ({@link RequesterFields}). Then either {@code afterStore} tells the {@link AuditForwarder} (store-and-forward over syslog
 * TLS, never blocking here), or, in the older best-effort mode ({@code forward}), the message is sent at once
 * over IPF's configured transport (RFC 5424 syslog over UDP or TLS) and lost if that fails.
 */
public class PersistingAuditMessageQueue implements AuditMessageQueue {

    private static final Logger log = LoggerFactory.getLogger(PersistingAuditMessageQueue.class);

    private final AuditStore store;
    private final boolean forward;
    private final Runnable afterStore;
    private final Function<List<String>, List<String>> patientsOfDocuments;
    private final Consumer<AuditMessage> stamp;

    /**
     * @param patientsOfDocuments the BSNs of documents by uniqueId: a retrieval (ITI-43) names
     *                            documents, not patients, but NEN 7513 asks "who looked at my data"
     */
    public PersistingAuditMessageQueue(AuditStore store, boolean forward,
                                       Function<List<String>, List<String>> patientsOfDocuments) {
        this(store, forward, () -> { }, patientsOfDocuments);
    }

    /**
     * @param forward    send each message at once over IPF's transport (best effort)
     * @param afterStore called after each stored message (must not block), e.g. {@link AuditForwarder#wakeUp()}
     */
    public PersistingAuditMessageQueue(AuditStore store, boolean forward, Runnable afterStore,
                                       Function<List<String>, List<String>> patientsOfDocuments) {
        this(store, forward, afterStore, patientsOfDocuments, message -> { });
    }

    /**
     * @param stamp completes each message before it is serialised, stored and forwarded, e.g. with the requester of
     *              the HTTP request being served ({@link RequestAuditStamp})
     */
    public PersistingAuditMessageQueue(AuditStore store, boolean forward, Runnable afterStore,
                                       Function<List<String>, List<String>> patientsOfDocuments,
                                       Consumer<AuditMessage> stamp) {
        this.store = store;
        this.forward = forward;
        this.afterStore = afterStore;
        this.patientsOfDocuments = patientsOfDocuments;
        this.stamp = stamp;
    }

    @Override
    public void audit(AuditContext auditContext, AuditMessage... auditMessages) {
        if (auditMessages == null) {
            return;
        }
        for (AuditMessage message : auditMessages) {
            stamp.accept(message);
            String serialized = auditContext.getSerializationStrategy().marshal(message, false);
            store.append(withDocumentPatients(toRecord(message, serialized), message));
            afterStore.run();
            if (forward) {
                try {
                    auditContext.getAuditTransmissionProtocol().send(auditContext, auditContext.getAuditMetadataProvider(), serialized);
                } catch (Exception e) {
                    // best effort: the record is stored durably; store-and-forward (beeldbrug.audit.repository) resends
                    log.warn("Audit record stored but not forwarded: {}", e.getMessage());
                }
            }
        }
    }

    private AuditRecord withDocumentPatients(AuditRecord record, AuditMessage message) {
        if (!record.patientIds().isEmpty()) {
            return record;
        }
        List<String> documents = message.getParticipantObjectIdentifications().stream()
                .filter(p -> p.getParticipantObjectIDTypeCode() != null
                        && "9".equals(p.getParticipantObjectIDTypeCode().getCode()))
                .map(ParticipantObjectIdentificationType::getParticipantObjectID)
                .toList();
        if (documents.isEmpty()) {
            return record;
        }
        return record.withPatients(patientsOfDocuments.apply(documents));
    }

    static AuditRecord toRecord(AuditMessage message, String serialized) {
        var event = message.getEventIdentification();
        String eventId = event.getEventID() == null ? "unknown" : event.getEventID().getCode();
        List<EventType> types = event.getEventTypeCode();
        String eventType = types == null || types.isEmpty() ? null : types.get(0).getCode();
        String outcome = event.getEventOutcomeIndicator() == null ? "?" : event.getEventOutcomeIndicator().name();
        List<String> patients = message.getParticipantObjectIdentifications().stream()
                .filter(p -> p.getParticipantObjectTypeCodeRole() == ParticipantObjectTypeCodeRole.Patient)
                .map(ParticipantObjectIdentificationType::getParticipantObjectID)
                .map(PersistingAuditMessageQueue::bsnPart)
                .toList();
        RequesterFields requester = RequesterFields.of(message);
        return new AuditRecord(eventId, eventType, outcome, patients, serialized,
                requester.organisation(), requester.userId(), requester.purpose());
    }

    /** The identifier part of a CX patient id ("123456782^^^&amp;2.16...&amp;ISO" → "123456782"). */
    static String bsnPart(String cx) {
        if (cx == null) {
            return "";
        }
        int caret = cx.indexOf('^');
        return caret < 0 ? cx : cx.substring(0, caret);
    }
}
