package nl.beeldbrug.gateway.priors.prefetch;

import nl.beeldbrug.gateway.consent.ReleaseAudit;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectIdTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCodeRole;
import org.openehealth.ipf.commons.audit.event.QueryBuilder;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.types.EventType;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one ATNA record of an HL7 v2 prefetch order (like the CDS Hooks record): a query event naming the order (placer
 * order number), the patient and the studies queued, stamped with the hospital as requester (purpose TREAT) and the
 * prior check's consent decisions. An order by FHIR is recorded by the FHIR audit interceptor instead.
 */
public final class PrefetchAudit {

    public static final EventType PREFETCH = EventType.of("PREFETCH", "urn:beeldbrug:audit", "Prefetch of priors");

    private final AuditContext auditContext;

    public PrefetchAudit(AuditContext auditContext) {
        this.auditContext = auditContext;
    }

    public void order(PrefetchOrder order, String sender, PrefetchService.Outcome outcome, RequestContext requester,
                      ReleaseLog log) {
        QueryBuilder builder = new QueryBuilder(EventOutcomeIndicator.Success, outcome.summary(), PREFETCH)
                .setAuditSource(auditContext)
                .setQueryingParticipant(sender, null, null, sender, true)
                .setRespondingParticipant("beeldbrug", null, null, "beeldbrug", false)
                .addParticipantObjectIdentification(ParticipantObjectIdTypeCode.URI, null,
                        order.placerOrder().getBytes(StandardCharsets.UTF_8), List.of(), "order " + order.placerOrder(),
                        ParticipantObjectTypeCode.System, ParticipantObjectTypeCodeRole.Query, null, null);
        if (outcome.bsn() != null) {
            builder.addPatientParticipantObject(outcome.bsn() + "^^^&" + Bsn.OID + "&ISO", null, List.of(), null);
        }
        outcome.queued().forEach(q -> builder.addStudyParticipantObject(q.studyInstanceUid(), List.of()));
        AuditMessage message = builder.getMessage();
        ReleaseAudit.stamp(message, requester, log);
        auditContext.audit(message);
    }
}
