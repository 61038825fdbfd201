package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.gateway.security.RequesterProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;

/**
 * Who a DICOM peer is for the consent decision and the audit: the organisation and purpose configured for its
 * calling AE title ({@link CallingAeProperties}); an unknown AE title (only admitted when not strict) counts as the
 * open requester. The calling AE title is the user id on record.
 */
final class QrRequesters {

    private final CallingAeProperties peers;
    private final Requesters requesters;
    private final RequesterProperties open;

    QrRequesters(CallingAeProperties peers, Requesters requesters, RequesterProperties open) {
        this.peers = peers;
        this.requesters = requesters;
        this.open = open;
    }

    RequestContext of(String callingAe) {
        String ae = callingAe == null ? "" : callingAe.trim();
        return peers.find(ae)
                .map(p -> requesters.of(Ura.of(p.ura()), PurposeOfUse.fromCode(p.purpose()), ae))
                .orElseGet(() -> requesters.of(Ura.of(open.ura()), PurposeOfUse.fromCode(open.purpose()), ae));
    }
}
