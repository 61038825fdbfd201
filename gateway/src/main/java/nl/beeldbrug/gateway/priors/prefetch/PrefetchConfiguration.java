package nl.beeldbrug.gateway.priors.prefetch;

import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.bridge.ImportService;
import nl.beeldbrug.gateway.bridge.StudyLocator;
import nl.beeldbrug.gateway.bridge.pix.NonHl7FrameInterceptor;
import nl.beeldbrug.gateway.priors.PriorCheckService;
import nl.beeldbrug.gateway.security.ListenerTls;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.bridge.imports.PrefetchOrderStore;
import org.openehealth.ipf.commons.audit.AuditContext;
import org.openehealth.ipf.platform.camel.ihe.core.InterceptorFactory;
import org.openehealth.ipf.platform.camel.ihe.core.InterceptorFactorySupport;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.time.Clock;

/**
 * Prefetch of priors (issue 5 point 4), when {@code beeldbrug.priors.prefetch.enabled}: the service, the HL7 v2 order
 * listener (on {@code order-port}; 0 = none), {@code ServiceRequest/$prefetch} (registered by the FHIR configuration)
 * and the watcher that counts ended imports.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "beeldbrug.priors.prefetch.enabled", havingValue = "true")
public class PrefetchConfiguration {

    @Bean
    PrefetchOrderStore prefetchOrderStore(DataSource dataSource) {
        return new PrefetchOrderStore(dataSource);
    }

    @Bean
    PrefetchMetrics prefetchMetrics(MeterRegistry meters, PrefetchProperties properties) {
        return new PrefetchMetrics(meters, properties.deadline());
    }

    @Bean
    PrefetchService prefetchService(PriorCheckService priors, PrefetchProperties properties, ImportService imports,
                                    StudyLocator locator, Archives archives, PrefetchOrderStore orders, PrefetchMetrics metrics,
                                    BridgeProperties bridge) {
        properties.facilities().forEach((facility, source) -> {
            if (bridge.source(source).isEmpty()) {
                throw new IllegalStateException("beeldbrug.priors.prefetch.facilities." + facility + ": no bridge source " + source);
            }
        });
        return new PrefetchService(priors, new PrefetchSelection(properties.maxPriors(), properties.maxAge()), imports, locator,
                archives, orders, metrics);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    PrefetchWatcher prefetchWatcher(PrefetchOrderStore orders, PrefetchMetrics metrics, PrefetchProperties properties) {
        return new PrefetchWatcher(orders, metrics, properties.watchInterval());
    }

    @Bean
    PrefetchAudit prefetchAudit(AuditContext auditContext) {
        return new PrefetchAudit(auditContext);
    }

    @Bean
    PrefetchOperation prefetchOperation(PrefetchService service, Requesters requesters, BridgeProperties bridge,
                                        PrefetchMetrics metrics, Clock clock) {
        return new PrefetchOperation(service, requesters, bridge, metrics, clock);
    }

    @Bean
    @ConditionalOnExpression("${beeldbrug.priors.prefetch.order-port:0} > 0")
    OrderListenerRoute orderListenerRoute(PrefetchService service, PrefetchProperties properties, BridgeProperties bridge,
                                          Requesters requesters, PrefetchAudit audit, PrefetchMetrics metrics, Clock clock,
                                          ListenerTls tls) {
        return new OrderListenerRoute(properties.orderHost(), properties.orderPort(),
                new OrderListener(service, properties.facilities(), bridge, requesters, audit, metrics, clock), tls);
    }

    @Bean(OrderListenerRoute.INTERCEPTORS)
    InterceptorFactory prefetchNonHl7FrameInterceptor() {
        return new InterceptorFactorySupport<>(NonHl7FrameInterceptor.class);
    }
}
