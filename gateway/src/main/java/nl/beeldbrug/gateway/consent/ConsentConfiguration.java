package nl.beeldbrug.gateway.consent;

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
import nl.beeldbrug.registry.consent.store.ConsentStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
    OrganisationDirectory organisationDirectory(ConsentProperties consent, BridgeProperties bridge) {
        return new OrganisationDirectory(consent, bridge);
    }

    @Bean
    ConsentService consentService(ConsentProperties properties, ConsentStore store,
                                  ObjectProvider<NationalConsentService> national) {
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
