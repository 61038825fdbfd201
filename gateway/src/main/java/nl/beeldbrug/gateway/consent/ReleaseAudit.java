package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectIdTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCodeRole;
import org.openehealth.ipf.commons.audit.model.ActiveParticipantType;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.model.ParticipantObjectIdentificationType;
import org.openehealth.ipf.commons.audit.types.ActiveParticipantRoleId;
import org.openehealth.ipf.commons.audit.types.PurposeOfUse;

import java.util.Set;

/**
 * Puts NEN 7513's "who, on whose behalf, why, with what outcome" into a request's one ATNA audit message: the
 * professional (user id, UZI role) and the organisation (URA) as requesting active participants, the purpose of
 * use, every patient a decision was taken for, and — when the consent withheld anything — the outcome
 * {@code 4} (minor failure) with the description {@code consent denied n of m}. The audit store reads these
 * back into columns ({@link #ORGANISATION_PREFIX}).
 */
public final class ReleaseAudit {

    /** The organisation participant's UserID: {@code urn:oid:2.16.528.1.1007.3.3.<URA>}. */
    public static final String ORGANISATION_PREFIX = "urn:oid:" + Ura.OID + ".";
    /** Code system of UZI role codes. */
    public static final String UZI_ROLE_SYSTEM = "2.16.840.1.113883.2.4.15.111";
    /** HL7 v3 ActReason, the code system of purposes of use. */
    public static final String PURPOSE_SYSTEM = "2.16.840.1.113883.5.8";
    /** The description of an outcome where the consent withheld something. */
    public static final String DENIED = "consent denied";

    private ReleaseAudit() {
    }

    /** Stamps {@code message} with the requester of {@code context} and the decisions of {@code log} (may be null). */
    public static void stamp(AuditMessage message, RequestContext context, ReleaseLog log) {
        ActiveParticipantType user = new ActiveParticipantType(context.userId() == null ? "unknown" : context.userId(), true);
        if (context.uziRole() != null) {
            user.getRoleIDCodes().add(ActiveParticipantRoleId.of(context.uziRole(), UZI_ROLE_SYSTEM, "UZI role " + context.uziRole()));
        }
        message.getActiveParticipants().add(user);
        ActiveParticipantType organisation = new ActiveParticipantType(ORGANISATION_PREFIX + context.organisation().value(), true);
        organisation.setUserName(context.organisationType().code());
        message.getActiveParticipants().add(organisation);
        message.getEventIdentification().getPurposesOfUse()
                .add(PurposeOfUse.of(context.purpose().code(), PURPOSE_SYSTEM, context.purpose().name()));
        if (log == null) {
            return;
        }
        Set<String> named = namedPatients(message);
        for (String bsn : log.deniedPatients()) {
            if (named.add(bsn)) {
                message.getParticipantObjectIdentifications().add(patient(bsn));
            }
        }
        if (log.anyDenied()) {
            long denied = log.entries().stream().filter(e -> !e.decision().permitted()).count();
            message.getEventIdentification().setEventOutcomeIndicator(EventOutcomeIndicator.MinorFailure);
            message.getEventIdentification().setEventOutcomeDescription(DENIED + " " + denied + " of " + log.entries().size());
        }
    }

    private static Set<String> namedPatients(AuditMessage message) {
        Set<String> bsns = new java.util.HashSet<>();
        for (ParticipantObjectIdentificationType object : message.getParticipantObjectIdentifications()) {
            if (object.getParticipantObjectTypeCodeRole() == ParticipantObjectTypeCodeRole.Patient) {
                String id = object.getParticipantObjectID();
                bsns.add(id.contains("^") ? id.substring(0, id.indexOf('^')) : id);
            }
        }
        return bsns;
    }

    private static ParticipantObjectIdentificationType patient(String bsn) {
        ParticipantObjectIdentificationType object = new ParticipantObjectIdentificationType(
                bsn + "^^^&" + Bsn.OID + "&ISO", ParticipantObjectIdTypeCode.PatientNumber);
        object.setParticipantObjectTypeCode(ParticipantObjectTypeCode.Person);
        object.setParticipantObjectTypeCodeRole(ParticipantObjectTypeCodeRole.Patient);
        return object;
    }
}
