package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.gateway.consent.ReleaseAudit;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.EventActionCode;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.event.DataExportBuilder;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.types.EventType;

import java.util.List;

/**
 * The one ATNA record of a retrieval that releases images (WADO-RS, RAD-69, an import): a DICOM "Export" event
 * (110106) with the IHE transaction as event type, Beeldbrug as the exporting and the requester as the receiving
 * participant, the patient and the study, stamped with the requester and the consent decisions.
 */
public final class RetrieveAudit {

    public static final EventType WADO_RS = EventType.of("RAD-107", "IHE Transactions", "WADO-RS Retrieve");
    public static final EventType RAD_69 = EventType.of("RAD-69", "IHE Transactions", "Retrieve Imaging Document Set");
    public static final EventType IMPORT = EventType.of("IMPORT", "Beeldbrug", "Import into a PACS");

    private final AuditContext auditContext;

    public RetrieveAudit(AuditContext auditContext) {
        this.auditContext = auditContext;
    }

    /**
     * Sends the record.
     *
     * @param patientBsn  the patient whose images were released (null: none, e.g. unknown or denied)
     * @param studyUids   the studies asked for
     */
    public void record(EventType type, boolean success, String description, String server, String client,
                       String patientBsn, List<String> studyUids, RequestContext context, ReleaseLog log) {
        EventOutcomeIndicator outcome = success ? EventOutcomeIndicator.Success
                : description != null && description.startsWith("HTTP 5") ? EventOutcomeIndicator.SeriousFailure
                : EventOutcomeIndicator.MinorFailure;
        DataExportBuilder builder = new DataExportBuilder(outcome, description, EventActionCode.Read, type)
                .setAuditSource(auditContext)
                .addExportingParticipant(server, null, null, server, false)
                .addReceivingParticipant(client, null, null, client, true);
        if (patientBsn != null) {
            builder.addPatientParticipantObject(patientBsn + "^^^&" + Bsn.OID + "&ISO", null, List.of(), null);
        }
        studyUids.forEach(uid -> builder.addStudyParticipantObject(uid, List.of()));
        AuditMessage message = builder.getMessage();
        if (context != null) {
            ReleaseAudit.stamp(message, context, log);
        }
        auditContext.audit(message);
    }
}
