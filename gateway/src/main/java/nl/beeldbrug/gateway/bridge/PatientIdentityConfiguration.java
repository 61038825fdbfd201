package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.gateway.bridge.BridgeProperties.Identity;
import nl.beeldbrug.gateway.bridge.BridgeProperties.Identity.Strategy;
import nl.beeldbrug.gateway.bridge.pix.MllpPatientIndexQuery;
import nl.beeldbrug.gateway.bridge.pix.NonHl7FrameInterceptor;
import nl.beeldbrug.gateway.bridge.pix.PatientIdentityFeedHandler;
import nl.beeldbrug.gateway.bridge.pix.PatientIdentityFeedRoute;
import nl.beeldbrug.gateway.bridge.pix.PixTransactions;
import nl.beeldbrug.gateway.security.ListenerTls;
import nl.beeldbrug.registry.bridge.PatientCrossReference;
import nl.beeldbrug.registry.bridge.PatientIdentityFeed;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;
import nl.beeldbrug.registry.bridge.PixIdentityResolver;
import nl.beeldbrug.registry.bridge.SourceIdentityResolvers;
import nl.beeldbrug.registry.bridge.XrefIdentityResolver;
import nl.beeldbrug.registry.patient.PatientIndex;
import org.apache.camel.ProducerTemplate;
import org.openehealth.ipf.platform.camel.ihe.core.InterceptorFactory;
import org.openehealth.ipf.platform.camel.ihe.core.InterceptorFactorySupport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Patient identity at the edge of the PACS bridge (issue 8 point 5): the {@code PIX} and {@code XREF} strategies
 * (beans {@code pixIdentityResolver}, {@code xrefIdentityResolver}; {@code HEADER} is the bridge's own), and the ITI-8
 * feed listener that keeps the {@code XREF} table
 * (on {@code beeldbrug.bridge.pix-feed-port}; 0 = off).
 */
@Configuration(proxyBeanMethods = false)
public class PatientIdentityConfiguration {

    public PatientIdentityConfiguration() {
        PixTransactions.useUuidControlIds();
    }

    @Bean
    PatientCrossReference patientCrossReference() {
        return new PatientCrossReference();
    }

    /**
     * The {@code PIX} strategy for every source configured with it (ITI-9 to that source's patient index). The
     * bridge's per-source dispatch hands it the sources whose {@code identity.strategy} is PIX.
     */
    @Bean
    SourceIdentityResolvers pixIdentityResolver(BridgeProperties bridge, ProducerTemplate producerTemplate, Clock clock) {
        Map<String, PatientIdentityResolver> bySource = new LinkedHashMap<>();
        for (BridgeProperties.Source source : sourcesWith(bridge, Strategy.PIX)) {
            Identity identity = source.identity();
            bySource.put(source.id(), new PixIdentityResolver(required(identity.localDomain(), source, "local-domain"),
                    new MllpPatientIndexQuery(producerTemplate, source.id(),
                            required(identity.pixHost(), source, "pix-host"), port(identity.pixPort(), source),
                            identity.pixTimeout(), bridge.aeTitle(), clock)));
        }
        return new SourceIdentityResolvers(bySource);
    }

    /** The {@code XREF} strategy for every source configured with it (the ITI-8-fed cross-reference table). */
    @Bean
    SourceIdentityResolvers xrefIdentityResolver(BridgeProperties bridge, DataSource dataSource, PatientCrossReference xref) {
        Map<String, PatientIdentityResolver> bySource = new LinkedHashMap<>();
        for (BridgeProperties.Source source : sourcesWith(bridge, Strategy.XREF)) {
            bySource.put(source.id(), new XrefIdentityResolver(required(source.identity().localDomain(), source, "local-domain"),
                    dataSource, xref));
        }
        return new SourceIdentityResolvers(bySource);
    }

    private static List<BridgeProperties.Source> sourcesWith(BridgeProperties bridge, Strategy strategy) {
        return bridge.sources().stream().filter(s -> s.identity().strategy() == strategy).toList();
    }

    @Bean
    PatientIdentityFeed patientIdentityFeed(BridgeProperties bridge, DataSource dataSource, PatientCrossReference xref, Clock clock) {
        Set<String> domains = bridge.sources().stream()
                .filter(s -> s.identity().strategy() == Strategy.XREF && s.identity().localDomain() != null)
                .map(s -> s.identity().localDomain())
                .collect(Collectors.toSet());
        return new PatientIdentityFeed(dataSource, domains, xref, new PatientIndex(), clock);
    }

    @Bean
    @ConditionalOnExpression("${beeldbrug.bridge.pix-feed-port:0} > 0")
    PatientIdentityFeedRoute patientIdentityFeedRoute(BridgeProperties bridge, PatientIdentityFeed feed, ListenerTls tls) {
        return new PatientIdentityFeedRoute(bridge.pixFeedHost(), bridge.pixFeedPort(), new PatientIdentityFeedHandler(feed), tls);
    }

    @Bean(PatientIdentityFeedRoute.INTERCEPTORS)
    InterceptorFactory pixFeedNonHl7FrameInterceptor() {
        return new InterceptorFactorySupport<>(NonHl7FrameInterceptor.class);
    }

    private static String required(String value, BridgeProperties.Source source, String key) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("beeldbrug.bridge.sources[" + source.id() + "].identity." + key
                    + " is required for the " + source.identity().strategy() + " strategy");
        }
        return value;
    }

    private static int port(int port, BridgeProperties.Source source) {
        if (port <= 0) {
            throw new IllegalStateException("beeldbrug.bridge.sources[" + source.id() + "].identity.pix-port is required for the PIX strategy");
        }
        return port;
    }
}
