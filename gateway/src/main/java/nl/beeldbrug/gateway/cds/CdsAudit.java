package nl.beeldbrug.gateway.cds;

import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectIdTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCodeRole;
import org.openehealth.ipf.commons.audit.event.QueryBuilder;
import org.openehealth.ipf.commons.audit.types.EventType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * One ATNA query record per CDS Hooks call (NEN 7513: the patient whose prior studies were looked up), through IPF's
 * audit context like every other transaction, so it lands in the durable trail and is stamped with the requester.
 */
public final class CdsAudit {

    private static final String CDS_HOOKS = "CDS Hooks";
    private final AuditContext auditContext;

    public CdsAudit(AuditContext auditContext) {
        this.auditContext = auditContext;
    }

    void called(String hook, Set<String> patients, HttpServletRequest request) {
        String client = request.getRemoteAddr();
        String server = request.getRequestURL().toString();
        QueryBuilder builder = new QueryBuilder(EventOutcomeIndicator.Success, null, EventType.of(hook, CDS_HOOKS, hook))
                .setAuditSource(auditContext)
                .setQueryingParticipant(client, null, null, client, true)
                .setRespondingParticipant(server, null, null, server, false)
                .addParticipantObjectIdentification(ParticipantObjectIdTypeCode.URI, null,
                        request.getRequestURI().getBytes(StandardCharsets.UTF_8), List.of(), request.getRequestURI(),
                        ParticipantObjectTypeCode.System, ParticipantObjectTypeCodeRole.Query, null, null);
        patients.forEach(bsn -> builder.addPatientParticipantObject(bsn + "^^^&" + Bsn.OID + "&ISO", null, List.of(), null));
        auditContext.audit(builder.getMessage());
    }
}
