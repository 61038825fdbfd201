package nl.beeldbrug.gateway.security;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.net.AssociationGate;
import nl.beeldbrug.adapters.dicom.net.AssociationRequest;
import nl.beeldbrug.adapters.dicom.net.Dimse;
import nl.beeldbrug.adapters.dicom.net.ReceivedInstance;
import nl.beeldbrug.gateway.consent.OrganisationDirectory;
import nl.beeldbrug.gateway.consent.ReleaseAudit;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.EventActionCode;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.event.DicomInstancesTransferredBuilder;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.types.EventType;

import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ATNA record per DICOM association received: "DICOM Instances Transferred" (110104, action Create) with the
 * calling AE as sender and Beeldbrug as receiver, the studies received, how many instances were stored and
 * refused, stamped with the organisation (URA from the client certificate or the AE configuration) and the
 * configured purpose of use. A rejected association gets one record with outcome 4 and the reason.
 */
public final class DicomAssociationAudit {

    public static final EventType C_STORE = EventType.of("C-STORE", "DCM", "DICOM C-STORE association");
    /** A rejected association of the Q/R SCP (its accepted associations are audited per C-FIND/C-MOVE/C-GET). */
    public static final EventType QUERY_RETRIEVE = EventType.of("Q/R", "DCM", "DICOM Query/Retrieve association");

    private final AuditContext auditContext;
    private final OrganisationDirectory organisations;
    private final Clock clock;
    private final EventType eventType;

    public DicomAssociationAudit(AuditContext auditContext, OrganisationDirectory organisations, Clock clock) {
        this(auditContext, organisations, clock, C_STORE);
    }

    private DicomAssociationAudit(AuditContext auditContext, OrganisationDirectory organisations, Clock clock,
                                  EventType eventType) {
        this.auditContext = auditContext;
        this.organisations = organisations;
        this.clock = clock;
        this.eventType = eventType;
    }

    /** The same audit, its records typed as {@code type}. */
    public DicomAssociationAudit as(EventType type) {
        return new DicomAssociationAudit(auditContext, organisations, clock, type);
    }

    /** Follows an accepted association; its record is written when it ends. */
    AssociationGate.Admitted follow(AssociationRequest request, Ura organisation, PurposeOfUse purpose) {
        Set<String> studies = new TreeSet<>();
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        return new AssociationGate.Admitted() {
            @Override
            public void stored(ReceivedInstance instance, int status) {
                Attributes ds = instance.dataset();
                String study = ds == null ? null : ds.getString(Tag.StudyInstanceUID);
                synchronized (studies) {
                    if (study != null) {
                        studies.add(study);
                    }
                }
                (status == Dimse.SUCCESS ? stored : refused).incrementAndGet();
            }

            @Override
            public void ended() {
                List<String> received;
                synchronized (studies) {
                    received = List.copyOf(studies);
                }
                boolean allStored = refused.get() == 0;
                record(request, organisation, purpose, allStored ? EventOutcomeIndicator.Success : EventOutcomeIndicator.MinorFailure,
                        stored.get() + " stored, " + refused.get() + " refused", received);
            }
        };
    }

    void rejected(AssociationRequest request, Ura organisation, PurposeOfUse purpose, String reason) {
        record(request, organisation, purpose, EventOutcomeIndicator.MinorFailure, "association rejected: " + reason, List.of());
    }

    private void record(AssociationRequest request, Ura organisation, PurposeOfUse purpose, EventOutcomeIndicator outcome,
                        String description, List<String> studies) {
        String caller = request.callingAe().isEmpty() ? "unknown" : request.callingAe();
        String address = request.remoteAddress() == null ? null : request.remoteAddress().getHostAddress();
        DicomInstancesTransferredBuilder builder = new DicomInstancesTransferredBuilder(outcome, description,
                EventActionCode.Create, eventType)
                .setAuditSource(auditContext)
                .setSendingProcessParticipant(caller, null, caller, address, true)
                .setReceivingProcessParticipant(request.calledAe(), null, request.calledAe(), null, false);
        studies.forEach(uid -> builder.addStudyParticipantObject(uid, List.of()));
        AuditMessage message = builder.getMessage();
        if (organisation != null) {
            ReleaseAudit.stamp(message, new RequestContext(organisation, organisations.typeOf(organisation), null, caller,
                    purpose, clock.instant()), null);
        } else {
            message.getEventIdentification().getPurposesOfUse().add(org.openehealth.ipf.commons.audit.types.PurposeOfUse.of(
                    purpose.code(), ReleaseAudit.PURPOSE_SYSTEM, purpose.name()));
        }
        auditContext.audit(message);
    }
}
