package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.registry.audit.AuditStore;
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
    AuditMessageQueue auditMessageQueue(AuditStore store, BeeldbrugProperties properties) {
        return new PersistingAuditMessageQueue(store, properties.audit().forward());
    }
}
