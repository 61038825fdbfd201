package nl.beeldbrug.gateway.security;

import nl.beeldbrug.adapters.dicom.net.TlsContexts;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.consent.OrganisationDirectory;
import nl.beeldbrug.gateway.qr.CallingAeProperties;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.CertificateTrustManager;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TLS and access rules of the listeners outside Tomcat: {@link ListenerTls} (on with {@code beeldbrug.security.tls.enabled})
 * and the DICOM {@link DicomAccessGate} (per calling AE title, {@code beeldbrug.dicom.*}) with its per-association audit.
 */
@Configuration(proxyBeanMethods = false)
public class ListenerSecurityConfiguration {

    @Bean
    ListenerTls listenerTls(TlsProperties tls, ObjectProvider<CertificateTrustManager> trust) throws IOException {
        if (!tls.enabled()) {
            return ListenerTls.PLAIN;
        }
        return new ListenerTls(TlsContexts.fromPem(tls.certificateChain(), tls.privateKey(), trust.getObject()));
    }

    /** Admission of DICOM associations (both SCPs); the bridge's C-STORE SCP adds {@link #dicomAssociationAudit}. */
    @Bean
    DicomAccessGate dicomAccessGate(CallingAeProperties peers, BridgeProperties bridge, RequesterProperties open,
                                    TlsProperties tls, ObjectProvider<ReloadingCertificateChecker> checker) {
        Map<String, DicomAccessGate.Caller> callers = new LinkedHashMap<>();
        for (BridgeProperties.Source source : bridge.sources()) {
            if (source.dicom() != null && source.dicom().aeTitle() != null && source.ura() != null) {
                String ae = source.dicom().aeTitle().trim();
                callers.put(ae, new DicomAccessGate.Caller(ae, Ura.of(source.ura()), PurposeOfUse.TREAT, true));
            }
        }
        for (CallingAeProperties.CallingAe peer : peers.callingAes()) {
            String ae = peer.aeTitle().trim();
            callers.put(ae, new DicomAccessGate.Caller(ae, peer.ura() == null ? null : Ura.of(peer.ura()),
                    PurposeOfUse.fromCode(peer.purpose()), peer.allowed()));
        }
        return new DicomAccessGate(callers, peers.strictCallingAe(), PurposeOfUse.fromCode(open.purpose()),
                tls.enabled() ? checker.getObject() : null, null);
    }

    @Bean
    DicomAssociationAudit dicomAssociationAudit(AuditContext auditContext, OrganisationDirectory organisations, Clock clock) {
        return new DicomAssociationAudit(auditContext, organisations, clock);
    }
}
