package nl.beeldbrug.gateway.security;

import nl.beeldbrug.adapters.dicom.net.AssociationGate;
import nl.beeldbrug.adapters.dicom.net.AssociationRequest;
import nl.beeldbrug.adapters.dicom.net.RejectException;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.CertificateChecker;
import nl.beeldbrug.registry.consent.identity.CertificateRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Accepts or rejects DICOM associations by calling AE title ({@link DicomAccessProperties}) and, over TLS, by the
 * client certificate's organisation (checked again with the HTTPS endpoints' {@link CertificateChecker}). With a
 * {@link DicomAssociationAudit} ({@link #audited}) every accepted association is followed by one audit record
 * carrying the configured purpose, and every rejection gets one too; without, the service audits per operation.
 */
public final class DicomAccessGate implements AssociationGate {

    private static final Logger log = LoggerFactory.getLogger(DicomAccessGate.class);

    /** A calling AE title as configured. */
    public record Caller(String aeTitle, Ura ura, PurposeOfUse purpose, boolean allowed) {
    }

    private final Map<String, Caller> callers;
    private final boolean strict;
    private final PurposeOfUse defaultPurpose;
    private final Supplier<CertificateChecker> checker;
    private final DicomAssociationAudit audit;
    private final boolean followAdmitted;

    /**
     * @param checker the client certificate checker when DICOM TLS is on, else null (associations without TLS)
     * @param audit   one record per association, or null
     */
    public DicomAccessGate(Map<String, Caller> callers, boolean strict, PurposeOfUse defaultPurpose,
                           Supplier<CertificateChecker> checker, DicomAssociationAudit audit) {
        this(callers, strict, defaultPurpose, checker, audit, true);
    }

    private DicomAccessGate(Map<String, Caller> callers, boolean strict, PurposeOfUse defaultPurpose,
                            Supplier<CertificateChecker> checker, DicomAssociationAudit audit, boolean followAdmitted) {
        this.callers = Map.copyOf(callers);
        this.strict = strict;
        this.defaultPurpose = defaultPurpose;
        this.checker = checker;
        this.audit = audit;
        this.followAdmitted = followAdmitted;
    }

    /** This gate, writing one audit record per association (or rejection). */
    public DicomAccessGate audited(DicomAssociationAudit associationAudit) {
        return new DicomAccessGate(callers, strict, defaultPurpose, checker, associationAudit, true);
    }

    /**
     * This gate, writing an audit record only for a rejected association (for an SCP whose accepted associations
     * are audited per operation, like the Q/R SCP).
     */
    public DicomAccessGate auditingRejections(DicomAssociationAudit associationAudit) {
        return new DicomAccessGate(callers, strict, defaultPurpose, checker, associationAudit, false);
    }

    /**
     * The configured caller with this AE title (compared without padding): the configured peers
     * ({@code beeldbrug.dicom.calling-aes}) and the bridge sources' AE titles. The one lookup both admission and the
     * requester of a consent decision use.
     */
    public Optional<Caller> caller(String callingAe) {
        return Optional.ofNullable(callers.get(callingAe == null ? "" : callingAe.trim()));
    }

    @Override
    public Admitted admit(AssociationRequest request) throws RejectException {
        Caller caller = caller(request.callingAe()).orElse(null);
        Ura organisation = caller == null ? null : caller.ura();
        if (checker != null) {
            try {
                Ura certified = checker.get().check(request.peerCertificates()).ura();
                if (organisation != null && !organisation.equals(certified)) {
                    throw refuse(request, certified, "calling AE configured for " + organisation + ", certificate names " + certified);
                }
                organisation = certified;
            } catch (CertificateRejectedException e) {
                throw refuse(request, null, "client certificate refused: " + e.reason());
            }
        }
        if (caller == null && strict) {
            throw refuse(request, organisation, "calling AE not configured");
        }
        if (caller != null && !caller.allowed()) {
            throw refuse(request, organisation, "calling AE not allowed");
        }
        PurposeOfUse purpose = caller == null ? defaultPurpose : caller.purpose();
        return audit == null || !followAdmitted ? Admitted.NOTHING : audit.follow(request, organisation, purpose);
    }

    private RejectException refuse(AssociationRequest request, Ura organisation, String reason) {
        log.info("DICOM association {} -> {} rejected: {}", request.callingAe(), request.calledAe(), reason);
        PurposeOfUse purpose = caller(request.callingAe()).map(Caller::purpose).orElse(defaultPurpose);
        if (audit != null) {
            audit.rejected(request, organisation, purpose, reason);
        }
        return new RejectException(RejectException.PERMANENT, RejectException.SOURCE_USER,
                RejectException.USER_CALLING_AE_NOT_RECOGNIZED);
    }
}
