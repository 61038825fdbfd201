package nl.beeldbrug.adapters.dicom.net;

import java.util.List;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.dict.UidDictionary;
import nl.beeldbrug.adapters.dicom.file.DicomFile;

/** Acceptor side of association negotiation: which contexts, transfer syntaxes and roles we accept. */
final class Negotiator {
    private static final List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

    private Negotiator() {
    }

    static AssociateParams accept(AssociateParams rq, AssociationConfig cfg) throws RejectException {
        if ((rq.protocolVersion & 1) == 0) {
            throw new RejectException(RejectException.PERMANENT, RejectException.SOURCE_ACSE,
                    RejectException.ACSE_PROTOCOL_VERSION_NOT_SUPPORTED);
        }
        if (!AssociateParams.APPLICATION_CONTEXT.equals(rq.applicationContext)) {
            throw new RejectException(RejectException.PERMANENT, RejectException.SOURCE_USER,
                    RejectException.USER_APP_CONTEXT_NOT_SUPPORTED);
        }
        if (cfg.strictCalledAe() && !cfg.aeTitle().equals(rq.calledAe)) {
            throw new RejectException(RejectException.PERMANENT, RejectException.SOURCE_USER,
                    RejectException.USER_CALLED_AE_NOT_RECOGNIZED);
        }
        if (cfg.callingAes() != null && !cfg.callingAes().test(rq.callingAe)) {
            throw new RejectException(RejectException.PERMANENT, RejectException.SOURCE_USER,
                    RejectException.USER_CALLING_AE_NOT_RECOGNIZED);
        }
        AssociateParams ac = new AssociateParams();
        ac.calledAe = rq.calledAe;
        ac.callingAe = rq.callingAe;
        ac.maxPduLength = cfg.maxPduLength();
        ac.implementationClassUid = DicomFile.IMPLEMENTATION_CLASS_UID;
        ac.implementationVersion = DicomFile.IMPLEMENTATION_VERSION;
        for (PresentationContext pc : rq.contexts) {
            ac.contexts.add(decide(pc, cfg));
        }
        for (RoleSelection r : rq.roles) {
            if (UidDictionary.standard().isStorageSopClass(r.sopClassUid()) && cfg.queryHandler() != null) {
                ac.roles.add(new RoleSelection(r.sopClassUid(), false, r.scp())); // we act as SCU of C-STORE in C-GET
            }
        }
        return ac;
    }

    private static PresentationContext decide(PresentationContext pc, AssociationConfig cfg) {
        String as = pc.abstractSyntax();
        boolean storage = UidDictionary.standard().isStorageSopClass(as);
        boolean supported = UID.Verification.equals(as)
                || (storage && (cfg.storeHandler() != null || cfg.queryHandler() != null))
                || (cfg.queryHandler() != null && (QueryModel.isFind(as) || QueryModel.isMove(as) || QueryModel.isGet(as)));
        if (!supported) {
            return reject(pc, PresentationContext.ABSTRACT_SYNTAX_NOT_SUPPORTED);
        }
        if (storage) {
            // instances are stored as received: take the proposer's first choice we can parse
            for (String ts : pc.transferSyntaxes()) {
                TransferSyntax t = TransferSyntax.of(ts);
                if (UNCOMPRESSED.contains(ts) || t.encapsulated() || t.deflated() || t.bigEndian()) {
                    return accepted(pc, ts);
                }
            }
        }
        for (String ts : UNCOMPRESSED) {
            if (pc.transferSyntaxes().contains(ts)) {
                return accepted(pc, ts);
            }
        }
        return reject(pc, PresentationContext.TRANSFER_SYNTAXES_NOT_SUPPORTED);
    }

    private static PresentationContext accepted(PresentationContext pc, String ts) {
        return new PresentationContext(pc.id(), pc.abstractSyntax(), List.of(ts), PresentationContext.ACCEPTANCE);
    }

    private static PresentationContext reject(PresentationContext pc, int reason) {
        // the transfer syntax sub-item of a rejected context is not significant (PS3.8 9.3.3.2); echo a proposal
        // rather than sending an empty one, which stricter parsers dislike
        List<String> ts = pc.transferSyntaxes().isEmpty() ? List.of() : List.of(pc.transferSyntaxes().get(0));
        return new PresentationContext(pc.id(), pc.abstractSyntax(), ts, reason);
    }
}
