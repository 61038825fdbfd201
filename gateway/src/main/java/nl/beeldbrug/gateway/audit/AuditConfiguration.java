package nl.beeldbrug.gateway.audit;

import nl.beeldbrug.adapters.dicom.net.TlsContexts;
import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.audit.AuditForwardCursor;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.audit.queue.AuditMessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.io.IOException;
import java.time.Clock;

/**
 * Every IPF audit event goes to the durable audit trail, and from there (store-and-forward) or directly (best
 * effort) on to the audit repository; {@code /actuator/audittrail} verifies the chain.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    @Bean
    AuditStore auditStore(DataSource dataSource) {
        return new AuditStore(dataSource);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "beeldbrug.audit.repository.enabled", havingValue = "true")
    AuditForwarder auditForwarder(AuditStore store, DataSource dataSource, BeeldbrugProperties properties) throws IOException {
        BeeldbrugProperties.Repository repository = properties.audit().repository();
        if (repository.certificateChain() == null || repository.privateKey() == null || repository.trustAnchors() == null) {
            throw new IllegalStateException("beeldbrug.audit.repository.enabled needs certificate-chain, private-key and"
                    + " trust-anchors (PEM files) for mutual TLS to the audit repository");
        }
        AuditForwarder forwarder = new AuditForwarder(store, new AuditForwardCursor(dataSource), repository,
                TlsContexts.fromPem(repository.certificateChain(), repository.privateKey(), repository.trustAnchors()),
                Clock.systemUTC());
        forwarder.start();
        return forwarder;
    }

    @Bean
    AuditMessageQueue auditMessageQueue(AuditStore store, BeeldbrugProperties properties, DataSource dataSource,
                                        XdsStore xdsStore, ObjectProvider<AuditForwarder> forwarder, Requesters requesters) {
        AuditForwarder storeAndForward = forwarder.getIfAvailable();
        if (storeAndForward != null && properties.audit().forward()) {
            log.warn("beeldbrug.audit.forward is ignored: store-and-forward (beeldbrug.audit.repository.enabled) sends the records");
        }
        return new PersistingAuditMessageQueue(store, storeAndForward == null && properties.audit().forward(),
                storeAndForward == null ? () -> { } : storeAndForward::wakeUp,
                documents -> Database.read(dataSource, c -> xdsStore.patientsByDocumentUniqueIds(c, documents)),
                new RequestAuditStamp(requesters));
    }

    @Bean
    AuditTrailEndpoint auditTrailEndpoint(AuditStore store, ObjectProvider<AuditForwarder> forwarder) {
        return new AuditTrailEndpoint(store, forwarder::getIfAvailable);
    }
}
