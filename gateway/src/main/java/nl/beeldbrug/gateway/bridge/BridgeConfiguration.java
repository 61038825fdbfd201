package nl.beeldbrug.gateway.bridge;

import javax.sql.DataSource;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.bridge.imports.ImportJobStore;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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
    ImportJobStore importJobStore(DataSource dataSource) {
        return new ImportJobStore(dataSource);
    }

    @Bean
    ImportService importService(ImportJobStore store, BridgeProperties bridge) {
        return new ImportService(store, bridge);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnProperty(name = "beeldbrug.bridge.serve.imports.enabled", havingValue = "true", matchIfMissing = true)
    ImportWorker importWorker(ImportJobStore store, StudyLocator locator, Archives archives, BridgeProperties bridge,
                              ServeProperties serve, RetrieveAudit audit) {
        return new ImportWorker(store, new ImportRunner(locator, archives, bridge, serve.spoolDir(), serve.imports().batchSize()),
                serve.imports(), audit);
    }

    @Bean
    Rad69Service rad69Service(StudyLocator locator, Archives archives, nl.beeldbrug.gateway.consent.ReleaseGuard guard,
                              nl.beeldbrug.gateway.security.Requesters requesters, ServeProperties serve) {
        return new Rad69Service(locator, archives, guard, requesters, serve.spoolDir());
    }

    @Bean
    RetrieveAudit retrieveAudit(AuditContext auditContext) {
        return new RetrieveAudit(auditContext);
    }
}
