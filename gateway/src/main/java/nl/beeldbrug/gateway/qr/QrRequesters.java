package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.gateway.security.DicomAccessGate;
import nl.beeldbrug.gateway.security.RequesterProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;

/**
 * Who a DICOM peer is for the consent decision and the audit: the organisation and purpose the {@link DicomAccessGate}
 * admitted its calling AE title for (a configured peer, {@code beeldbrug.dicom.calling-aes}, or a bridge source's AE
 * title, as TREAT) — the same lookup as admission, so a peer is never admitted as one organisation and decided as
 * another. An unknown AE title (only admitted when not strict) or a peer configured without URA counts as the open
 * requester. The calling AE title is the user id on record.
 */
final class QrRequesters {

    private final DicomAccessGate gate;
    private final Requesters requesters;
    private final RequesterProperties open;

    QrRequesters(DicomAccessGate gate, Requesters requesters, RequesterProperties open) {
        this.gate = gate;
        this.requesters = requesters;
        this.open = open;
    }

    RequestContext of(String callingAe) {
        String ae = callingAe == null ? "" : callingAe.trim();
        return gate.caller(ae)
                .filter(c -> c.ura() != null)
                .map(c -> requesters.of(c.ura(), c.purpose(), ae))
                .orElseGet(() -> requesters.of(Ura.of(open.ura()), PurposeOfUse.fromCode(open.purpose()), ae));
    }
}
