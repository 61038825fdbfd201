package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.gateway.ai.AiProperties;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.security.RequesterProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.ConsentDecisionEngine;
import nl.beeldbrug.registry.consent.ConsentPolicy;
import nl.beeldbrug.registry.consent.ConsentService;
import nl.beeldbrug.registry.consent.Decision;
import nl.beeldbrug.registry.consent.NationalConsentMode;
import nl.beeldbrug.registry.consent.NationalConsentService;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * The consent decision as the release points use it: the local consent registry, the national service when
 * one is configured (a {@link NationalConsentService} bean, e.g. the Mitz adapter), the configured policy,
 * and the {@link ReleaseGuard} in front of it.
 */
@Configuration(proxyBeanMethods = false)
public class ConsentConfiguration {

    @Bean
    ConsentStore consentStore(DataSource dataSource) {
        return new ConsentStore(dataSource, Clock.systemUTC());
    }

    @Bean
    OrganisationDirectory organisationDirectory(ConsentProperties consent, BridgeProperties bridge, AiProperties ai) {
        return new OrganisationDirectory(consent, bridge, ai.platforms().stream().map(AiProperties.Platform::ura)
                .filter(u -> u != null && u.matches("[0-9]{8}")).map(Ura::of).toList());
    }

    /**
     * The consent reads of the decision have a small pool of their own: a release point may ask for decisions while
     * it still holds a connection of the main pool (ITI-18 filters inside its query), and with every main
     * connection held that way, decisions drawing from the same pool would wait for each other until the pool's
     * timeout. A separate pool (a bulkhead) cannot be exhausted by the connections waiting for it.
     * Size: {@code beeldbrug.db.consent-pool-size} (4).
     */
    @Bean(destroyMethod = "close")
    ConsentReadPool consentReadPool(DataSource dataSource,
                                           @Value("${beeldbrug.db.consent-pool-size:4}") int poolSize) {
        HikariDataSource main = (HikariDataSource) dataSource;
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(main.getJdbcUrl());
        config.setUsername(main.getUsername());
        config.setPassword(main.getPassword());
        config.setMaximumPoolSize(poolSize);
        config.setReadOnly(true);
        config.setPoolName("beeldbrug-consent");
        return new ConsentReadPool(new HikariDataSource(config));
    }

    /** The consent read pool, held apart so that it is never injected where the main DataSource is meant. */
    public record ConsentReadPool(HikariDataSource dataSource) implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
        }
    }

    @Bean
    ConsentService consentService(ConsentProperties properties, ConsentReadPool consentReadPool,
                                  ObjectProvider<NationalConsentService> national) {
        ConsentStore store = new ConsentStore(consentReadPool.dataSource(), Clock.systemUTC());
        ConsentPolicy policy = ConsentPolicy.defaults()
                .withNationalMode(NationalConsentMode.valueOf(properties.nationalMode()))
                .withDefault(PurposeOfUse.TREAT, Decision.valueOf(properties.treatmentDefault()))
                .withDefault(PurposeOfUse.COC, Decision.valueOf(properties.treatmentDefault()));
        return new ConsentService(new ConsentDecisionEngine(policy), store, national.getIfAvailable());
    }

    @Bean
    ReleaseGuard releaseGuard(ConsentService consent, OrganisationDirectory directory) {
        return new ReleaseGuard(consent, directory);
    }

    @Bean
    Requesters requesters(OrganisationDirectory directory, RequesterProperties open) {
        return new Requesters(directory, open, Clock.systemUTC());
    }
}
