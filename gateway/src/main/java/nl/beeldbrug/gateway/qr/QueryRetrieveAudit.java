package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.gateway.bridge.RetrieveAudit;
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

import java.util.List;
import java.util.Set;

/**
 * The one ATNA record of each Q/R request: a C-FIND as a DICOM Query event (110112, IHE RAD-14 "Query Images")
 * naming the patients whose studies were released; a C-MOVE/C-GET as {@link RetrieveAudit}'s Export event
 * (IHE RAD-16 "Retrieve Images"). Both stamped with the requester and the consent decisions.
 */
final class QueryRetrieveAudit {

    static final EventType RAD_14 = EventType.of("RAD-14", "IHE Transactions", "Query Images");
    static final EventType RAD_16 = EventType.of("RAD-16", "IHE Transactions", "Retrieve Images");

    private final AuditContext auditContext;
    private final RetrieveAudit retrieveAudit;

    QueryRetrieveAudit(AuditContext auditContext, RetrieveAudit retrieveAudit) {
        this.auditContext = auditContext;
        this.retrieveAudit = retrieveAudit;
    }

    /** @param outcome null = success, else what failed */
    void query(String outcome, String server, String client, String model, Set<String> patients, RequestContext context,
               ReleaseLog log) {
        QueryBuilder builder = new QueryBuilder(outcome == null ? EventOutcomeIndicator.Success
                : EventOutcomeIndicator.MinorFailure, outcome, RAD_14)
                .setAuditSource(auditContext)
                .setQueryingParticipant(client, null, null, client, true)
                .setRespondingParticipant(server, null, null, server, false)
                .addParticipantObjectIdentification(ParticipantObjectIdTypeCode.SOPClassUID, null,
                        (model == null ? "unknown" : model).getBytes(java.nio.charset.StandardCharsets.US_ASCII), List.of(),
                        model == null ? "unknown" : model, ParticipantObjectTypeCode.System,
                        ParticipantObjectTypeCodeRole.Query, null, null);
        patients.forEach(bsn -> builder.addPatientParticipantObject(bsn + "^^^&" + Bsn.OID + "&ISO", null, List.of(), null));
        AuditMessage message = builder.getMessage();
        ReleaseAudit.stamp(message, context, log);
        auditContext.audit(message);
    }

    /** @param patientBsn the patient whose images were sent (null: none) */
    void retrieve(String outcome, String server, String client, String patientBsn, List<String> studies,
                  RequestContext context, ReleaseLog log) {
        retrieveAudit.record(RAD_16, outcome == null, outcome, server, client, patientBsn, studies, context, log);
    }
}
