package nl.beeldbrug.peer;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;

/**
 * The peer's Spring configuration: HAPI's own R4 JPA configuration ({@link JpaR4Config}, {@link HapiJpaConfig}, the
 * Batch2 job framework that reindexing needs) plus the few beans a deployment supplies — the same ones the official
 * hapi-fhir-jpaserver-starter defines — set as that starter ships them unless the README says otherwise.
 */
@Configuration
// SubscriptionChannelConfig: HAPI's in-memory message broker, which the Batch2 job framework runs on (no subscriptions).
@Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class, SubscriptionChannelConfig.class,
        ThreadPoolFactoryConfig.class})
public class PeerConfig {

    @Bean(destroyMethod = "close")
    public DataSource dataSource(PeerSettings settings) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(settings.jdbcUrl());
        hikari.setUsername(settings.user());
        hikari.setPassword(settings.password());
        hikari.setMaximumPoolSize(settings.poolSize());
        hikari.setPoolName("peer");
        return new HikariDataSource(hikari);
    }

    @Bean
    public JpaStorageSettings storageSettings() {
        JpaStorageSettings s = new JpaStorageSettings();
        // Defaults of HAPI and the starter unless noted: client ids allowed when not purely numeric (p123, 2.25.…),
        // referential integrity on write, cached search results reused for 60 s, default search parameters on.
        s.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ALPHANUMERIC);
        s.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED); // starter: enable_index_missing_fields false
        s.setAllowContainsSearches(true);                                    // starter default
        s.setAllowMultipleDelete(true);                                      // starter default
        s.setExpungeEnabled(true);                                           // starter default
        s.setHibernateSearchIndexSearchParams(false);                        // no Lucene/Elasticsearch
        s.setHibernateSearchIndexFullText(false);
        s.setStoreMetaSourceInformation(JpaStorageSettings.StoreMetaSourceInformationEnum.NONE);
        return s;
    }

    @Bean
    public PartitionSettings partitionSettings() {
        return new PartitionSettings(); // partitioning off
    }

    @Primary
    @Bean
    public LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beanFactory,
                                                                       FhirContext fhirContext, JpaStorageSettings storageSettings,
                                                                       DataSource dataSource) {
        LocalContainerEntityManagerFactoryBean emf =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        emf.setPersistenceUnitName("HAPI_PU");
        emf.setDataSource(dataSource);
        Map<String, Object> p = new HashMap<>();
        p.put("hibernate.dialect", "ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect");
        p.put("hibernate.hbm2ddl.auto", "update");                 // the starter's schema management (empty db → schema)
        p.put("hibernate.jdbc.batch_size", "20");
        p.put("hibernate.format_sql", "false");
        p.put("hibernate.show_sql", "false");
        p.put("hibernate.cache.use_query_cache", "false");
        p.put("hibernate.cache.use_second_level_cache", "false");
        p.put("hibernate.cache.use_structured_entries", "false");
        p.put("hibernate.cache.use_minimal_puts", "false");
        p.put("hibernate.search.enabled", "false");
        p.put("hibernate.archive.scanner", "org.hibernate.boot.archive.scan.internal.DisabledScanner");
        emf.setJpaPropertyMap(p);
        return emf;
    }

    @Primary
    @Bean
    public JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }

    @Bean
    public RestfulServer restfulServer(IFhirSystemDao<?, ?> systemDao, ResourceProviderFactory resourceProviders,
                                       IJpaSystemProvider systemProvider, JpaStorageSettings storageSettings,
                                       ISearchParamRegistry searchParamRegistry, IValidationSupport validationSupport,
                                       DatabaseBackedPagingProvider pagingProvider) {
        FhirContext ctx = systemDao.getContext();
        ctx.setNarrativeGenerator(new NullNarrativeGenerator()); // starter: narrative_enabled false
        RestfulServer server = new RestfulServer(ctx);
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(server, systemDao, storageSettings,
                searchParamRegistry, validationSupport);
        capabilities.setImplementationDescription("Beeldbrug benchmark peer (HAPI FHIR JPA server 8.8.0)");
        server.setServerConformanceProvider(capabilities);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setDefaultPrettyPrint(false);
        server.setPagingProvider(pagingProvider);
        server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
        return server;
    }
}
