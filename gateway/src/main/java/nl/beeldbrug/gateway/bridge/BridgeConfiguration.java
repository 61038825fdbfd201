package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The PACS bridge's retrieval side: archives, where a study is, and the audit of what is released. */
@Configuration(proxyBeanMethods = false)
public class BridgeConfiguration {

    @Bean
    Archives archives(BridgeProperties bridge, ServeProperties serve) {
        return new Archives(bridge, serve.spoolDir());
    }

    @Bean
    StudyLocator studyLocator(ImagingStudyIndex index, BridgeProperties bridge, ServeProperties serve) {
        return new StudyLocator(index, bridge, serve.defaultSource());
    }

    @Bean
    RetrieveAudit retrieveAudit(AuditContext auditContext) {
        return new RetrieveAudit(auditContext);
    }
}
