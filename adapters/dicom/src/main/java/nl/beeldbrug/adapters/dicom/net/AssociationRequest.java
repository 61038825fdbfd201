package nl.beeldbrug.adapters.dicom.net;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * An A-ASSOCIATE-RQ as an {@link AssociationGate} sees it: the AE titles, the peer's address and, over TLS, the
 * certificate chain the peer presented (end entity first; empty without TLS).
 */
public record AssociationRequest(String callingAe, String calledAe, InetAddress remoteAddress,
                                 List<X509Certificate> peerCertificates) {

    public AssociationRequest {
        callingAe = callingAe == null ? "" : callingAe.trim();
        calledAe = calledAe == null ? "" : calledAe.trim();
        peerCertificates = List.copyOf(peerCertificates);
    }

    public boolean overTls() {
        return !peerCertificates.isEmpty();
    }
}
