package nl.beeldbrug.gateway.xds;

import nl.beeldbrug.gateway.config.BeeldbrugProperties;
import nl.beeldbrug.gateway.imaging.KosManifestContentReader;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsStore;
import nl.beeldbrug.registry.xds.delete.DeleteDocumentSetService;
import nl.beeldbrug.registry.xds.update.MetadataUpdateService;
import nl.beeldbrug.registry.xds.query.StoredQueryService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;

/** Wires the registry's plain-Java XDS services. */
@Configuration(proxyBeanMethods = false)
public class XdsConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    XdsStore xdsStore() {
        return new XdsStore();
    }

    @Bean
    PatientIndex patientIndex() {
        return new PatientIndex();
    }

    @Bean
    DocumentRegistryService documentRegistryService(DataSource dataSource, XdsStore store, PatientIndex patients, Clock clock) {
        return new DocumentRegistryService(dataSource, store, patients, clock);
    }

    @Bean
    DocumentRepositoryService documentRepositoryService(DataSource dataSource, DocumentRegistryService registry,
                                                        BeeldbrugProperties properties) {
        return new DocumentRepositoryService(dataSource, registry, properties.xds().repositoryUniqueId(),
                properties.xds().maxDocumentSize().toBytes(), new KosManifestContentReader());
    }

    @Bean
    StoredQueryService storedQueryService(DataSource dataSource, XdsStore store, BeeldbrugProperties properties) {
        return new StoredQueryService(dataSource, store, properties.xds().maxQueryResults());
    }

    @Bean
    MetadataUpdateService metadataUpdateService(DataSource dataSource, XdsStore store, PatientIndex patients, Clock clock) {
        return new MetadataUpdateService(dataSource, store, patients, clock);
    }

    @Bean
    DeleteDocumentSetService deleteDocumentSetService(DataSource dataSource, XdsStore store) {
        return new DeleteDocumentSetService(dataSource, store);
    }
}
