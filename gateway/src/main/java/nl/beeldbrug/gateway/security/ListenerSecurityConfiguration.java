package nl.beeldbrug.gateway.security;

import nl.beeldbrug.adapters.dicom.net.TlsContexts;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.consent.OrganisationDirectory;
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
 * and the DICOM {@link DicomAccessGate} with its per-association audit.
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

    @Bean
    DicomAccessGate dicomAccessGate(DicomAccessProperties dicom, BridgeProperties bridge, TlsProperties tls,
                                    ObjectProvider<ReloadingCertificateChecker> checker, AuditContext auditContext,
                                    OrganisationDirectory organisations, Clock clock) {
        Map<String, DicomAccessGate.Caller> callers = new LinkedHashMap<>();
        for (BridgeProperties.Source source : bridge.sources()) {
            if (source.dicom() != null && source.dicom().aeTitle() != null && source.ura() != null) {
                String ae = source.dicom().aeTitle().trim();
                callers.put(ae, new DicomAccessGate.Caller(ae, Ura.of(source.ura()), PurposeOfUse.TREAT, true));
            }
        }
        for (DicomAccessProperties.Caller caller : dicom.callers()) {
            String ae = caller.aeTitle().trim();
            callers.put(ae, new DicomAccessGate.Caller(ae, caller.ura() == null ? null : Ura.of(caller.ura()),
                    PurposeOfUse.fromCode(caller.purpose()), caller.allowed()));
        }
        return new DicomAccessGate(callers, dicom.strict(), PurposeOfUse.fromCode(dicom.defaultPurpose()),
                tls.enabled() ? checker.getObject() : null,
                new DicomAssociationAudit(auditContext, organisations, clock));
    }
}
