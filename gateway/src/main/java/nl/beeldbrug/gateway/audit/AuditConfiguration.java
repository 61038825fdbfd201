package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.audit.queue.AuditMessageQueue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** Every IPF audit event goes to the durable audit trail (and optionally on to the audit repository). */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    AuditStore auditStore(DataSource dataSource) {
        return new AuditStore(dataSource);
    }

    @Bean
    AuditMessageQueue auditMessageQueue(AuditStore store, BeeldbrugProperties properties, DataSource dataSource,
                                        XdsStore xdsStore) {
        return new PersistingAuditMessageQueue(store, properties.audit().forward(),
                documents -> Database.read(dataSource, c -> xdsStore.patientsByDocumentUniqueIds(c, documents)));
    }
}
