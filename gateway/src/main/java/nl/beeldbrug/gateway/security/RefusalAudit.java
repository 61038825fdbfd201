package nl.beeldbrug.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.ReleaseAudit;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.codes.EventTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectIdTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCode;
import org.openehealth.ipf.commons.audit.codes.ParticipantObjectTypeCodeRole;
import org.openehealth.ipf.commons.audit.event.SecurityAlertBuilder;
import org.openehealth.ipf.commons.audit.event.UserAuthenticationBuilder;
import org.openehealth.ipf.commons.audit.model.ActiveParticipantType;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.model.TypeValuePairType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The one audit record (NEN 7513, ATNA) of a request refused at the edge — a missing or bad access token (401, or
 * 503 when the issuer's keys are unavailable), a refused client certificate (403), or a body too large (413) or of
 * the wrong media type (415) for its endpoint. It goes through the same
 * audit context as every other record, so it lands in the hash-chained audit trail and is forwarded like the rest;
 * the refused request never reaches FHIR, IPF or the consent engine, so this is its only record.
 * <ul>
 *   <li>Event: a token refusal is a failed User Authentication (DCM 110114) of type Login (110122); a certificate
 *       refusal a Security Alert (110113) of type Node Authentication (110126). Outcome 4 (minor failure) for a
 *       missing, expired or not yet valid token — what an honest client runs into — and 8 (serious failure) for
 *       everything that may be forged or misdirected (signature, issuer, key, audience, claims, certificate binding,
 *       another organisation than the certificate's, a refused certificate) and for unavailable issuer keys.</li>
 *   <li>Description: the refusal's fixed catalogue text ({@link TokenFailure}) or the certificate checker's reason;
 *       never token content.</li>
 *   <li>Who: the client's network address (user {@value #UNAUTHENTICATED}) and, when mutual TLS named one, the
 *       organisation (URA) of the checked client certificate — the token's own claims are not believed, they
 *       failed verification. No purpose of use.</li>
 *   <li>What: the transaction attempted, as a URI participant object: the method and the endpoint's path up to the
 *       first segment that could be an identifier (a BSN, a UID, a resource id), without the query. So no patient
 *       data from an unauthenticated request enters the trail: a privacy officer sees who tried which endpoint,
 *       when, from where and why it was refused, and the patient's own trail holds no unverified claims.</li>
 * </ul>
 * A client spamming bad tokens costs one stored record per request, as an accepted request does.
 */
public final class RefusalAudit {

    /** Request attribute set on a refused request: its record is complete and gets no requester stamp. */
    public static final String REFUSED = RefusalAudit.class.getName() + ".refused";
    /** The user id of the requesting participant: nobody was authenticated. */
    public static final String UNAUTHENTICATED = "unauthenticated";
    /** Refusals an honest client runs into (outcome 4); the others are serious failures (outcome 8). */
    private static final Set<TokenFailure> MINOR = EnumSet.of(TokenFailure.MISSING, TokenFailure.EXPIRED, TokenFailure.NOT_YET_VALID);
    private static final Logger log = LoggerFactory.getLogger(RefusalAudit.class);

    private final Supplier<AuditContext> auditContext;

    /** @param auditContext the audit context (may supply null: no auditing, e.g. in unit tests) */
    public RefusalAudit(Supplier<AuditContext> auditContext) {
        this.auditContext = auditContext;
    }

    /** No records at all. */
    public static RefusalAudit none() {
        return new RefusalAudit(() -> null);
    }

    /** Records a refused access token. */
    public void tokenRefused(HttpServletRequest request, TokenFailure failure) {
        AuditContext context = auditContext.get();
        if (context == null) {
            return;
        }
        EventOutcomeIndicator outcome = MINOR.contains(failure) ? EventOutcomeIndicator.MinorFailure : EventOutcomeIndicator.SeriousFailure;
        String reason = "access token refused (" + failure.name() + "): " + failure.description();
        UserAuthenticationBuilder builder = new UserAuthenticationBuilder(outcome, reason, EventTypeCode.Login)
                .setAuditSource(context)
                .setAuthenticatedParticipant(UNAUTHENTICATED, null, null, true, null, request.getRemoteAddr());
        organisation(request, builder.getMessage());
        builder.addActiveParticipant(server(request), null, null, false, List.of(), request.getLocalAddr());
        builder.addParticipantObjectIdentification(ParticipantObjectIdTypeCode.URI, null, null,
                List.of(new TypeValuePairType("Refusal", failure.name().getBytes(StandardCharsets.UTF_8))),
                attempted(request), ParticipantObjectTypeCode.System, ParticipantObjectTypeCodeRole.SecurityResource, null, null);
        send(request, context, builder.getMessage());
    }

    /** Records a refused client certificate. */
    public void certificateRefused(HttpServletRequest request, String reason) {
        AuditContext context = auditContext.get();
        if (context == null) {
            return;
        }
        SecurityAlertBuilder builder = new SecurityAlertBuilder(EventOutcomeIndicator.SeriousFailure,
                "client certificate refused: " + reason, EventTypeCode.NodeAuthentication)
                .setAuditSource(context)
                .addActiveParticipant(UNAUTHENTICATED, null, null, true, List.of(), request.getRemoteAddr())
                .addActiveParticipant(server(request), null, null, false, List.of(), request.getLocalAddr())
                .addAlertUriSubjectParticipantObject(attempted(request), ParticipantObjectTypeCodeRole.SecurityResource, reason);
        send(request, context, builder.getMessage());
    }

    /**
     * Records a request the gateway answered at the edge before any protocol stack saw it — a body above the size
     * limit (413) or a SOAP request of the wrong media type (415): a Security Alert (110113) of type Access
     * Control Decision, outcome 4 (minor failure: a client error, nothing was read or released), the refusal's
     * fixed reason, the client's address and the attempted transaction. The body is never read.
     */
    public void requestRefused(HttpServletRequest request, int status, String reason) {
        AuditContext context = auditContext.get();
        if (context == null) {
            return;
        }
        SecurityAlertBuilder builder = new SecurityAlertBuilder(EventOutcomeIndicator.MinorFailure,
                "request refused (" + status + "): " + reason, EventTypeCode.AccessControlDecision)
                .setAuditSource(context)
                .addActiveParticipant(UNAUTHENTICATED, null, null, true, List.of(), request.getRemoteAddr());
        organisation(request, builder.getMessage());
        builder.addActiveParticipant(server(request), null, null, false, List.of(), request.getLocalAddr())
                .addAlertUriSubjectParticipantObject(attempted(request), ParticipantObjectTypeCodeRole.SecurityResource, reason);
        send(request, context, builder.getMessage());
    }

    private static void send(HttpServletRequest request, AuditContext context, AuditMessage message) {
        request.setAttribute(REFUSED, Boolean.TRUE);
        try {
            context.audit(message);
        } catch (RuntimeException e) {
            log.error("Audit record of a refused request could not be written: {}", e.toString());
            throw e;
        }
    }

    /** The organisation of the checked client certificate, as the requesting organisation participant. */
    private static void organisation(HttpServletRequest request, AuditMessage message) {
        Requesters.certifiedOrganisation(request).ifPresent(identity -> {
            ActiveParticipantType organisation = new ActiveParticipantType(ReleaseAudit.ORGANISATION_PREFIX + identity.ura().value(), true);
            message.getActiveParticipants().add(organisation);
        });
    }

    private static String server(HttpServletRequest request) {
        return request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort() + request.getContextPath();
    }

    /**
     * The transaction attempted: {@code <METHOD> <path>} with the path cut before its first segment that could
     * carry an identifier or is not a plain name, at most three segments, no query.
     */
    static String attempted(HttpServletRequest request) {
        String path = request.getRequestURI() == null ? "" : request.getRequestURI().substring(request.getContextPath().length());
        StringBuilder kept = new StringBuilder();
        int segments = 0;
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (segments == 3 || !segment.matches("[A-Za-z$_-][A-Za-z0-9$_-]{0,39}") || digits(segment) > 2) {
                kept.append("/…");
                break;
            }
            kept.append('/').append(segment);
            segments++;
        }
        String method = request.getMethod() == null || !request.getMethod().matches("[A-Z]{1,10}") ? "?" : request.getMethod();
        return method + " " + (kept.length() == 0 ? "/" : kept.toString());
    }

    private static long digits(String segment) {
        return segment.chars().filter(Character::isDigit).count();
    }
}
