package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.gateway.bridge.RetrieveAudit;
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

import java.util.Collection;
import java.util.List;

/**
 * The one ATNA record of each release to an AI platform (a DICOMweb request, an export request or status, each study an
 * export writes, each download): a DICOM "Export" event with the transaction as event type, Beeldbrug exporting and
 * the platform receiving, the patients and (original) studies released, stamped with the requester and purpose AI
 * and every consent decision ({@link ReleaseAudit}).
 */
public final class AiAudit {

    public static final EventType QIDO_RS = EventType.of("RAD-129", "IHE Transactions", "QIDO-RS Query");
    public static final EventType WADO_RS = RetrieveAudit.WADO_RS;
    public static final EventType EXPORT_REQUEST = EventType.of("AI-EXPORT-REQUEST", "Beeldbrug", "AI bulk export request");
    public static final EventType EXPORT_STUDY = EventType.of("AI-EXPORT", "Beeldbrug", "AI bulk export of a study");
    public static final EventType DOWNLOAD = EventType.of("AI-DOWNLOAD", "Beeldbrug", "AI bulk export download");

    private final AuditContext auditContext;

    public AiAudit(AuditContext auditContext) {
        this.auditContext = auditContext;
    }

    /**
     * @param failure    null on success, else a short description without patient data ("HTTP 404", ...)
     * @param patients   the BSNs of the patients whose data left
     * @param studyUids  the original study UIDs released (or asked for)
     */
    public void record(EventType type, String failure, String server, String client, Collection<String> patients,
                       Collection<String> studyUids, RequestContext context, ReleaseLog log) {
        EventOutcomeIndicator outcome = failure == null ? EventOutcomeIndicator.Success
                : failure.startsWith("HTTP 5") ? EventOutcomeIndicator.SeriousFailure : EventOutcomeIndicator.MinorFailure;
        DataExportBuilder builder = new DataExportBuilder(outcome, failure, EventActionCode.Read, type)
                .setAuditSource(auditContext)
                .addExportingParticipant(server, null, null, server, false)
                .addReceivingParticipant(client, null, null, client, true);
        for (String bsn : patients) {
            builder.addPatientParticipantObject(bsn + "^^^&" + Bsn.OID + "&ISO", null, List.of(), null);
        }
        studyUids.forEach(uid -> builder.addStudyParticipantObject(uid, List.of()));
        AuditMessage message = builder.getMessage();
        if (context != null) {
            ReleaseAudit.stamp(message, context, log);
        }
        auditContext.audit(message);
    }
}
