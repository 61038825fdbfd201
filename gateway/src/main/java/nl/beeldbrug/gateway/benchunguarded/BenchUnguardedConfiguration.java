package nl.beeldbrug.gateway.benchunguarded;

import nl.beeldbrug.gateway.consent.OrganisationDirectory;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.consent.ConsentService;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import org.openehealth.ipf.commons.audit.queue.AuditMessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Profile;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * FOR THE BENCHMARK ONLY (bench/run-consent-cost.sh): profile {@code bench-unguarded} replaces the consent gate by a
 * pass-through (everything released, no decision recorded) and the audit queue by one that drops every record, so
 * that the cost of consent + audit can be measured against the same jar and database. It refuses to start unless
 * the environment also holds {@value #ENV}={@value #OPT_IN}, and says loudly that it is on.
 */
@Configuration(proxyBeanMethods = false)
@Profile(BenchUnguardedConfiguration.PROFILE)
public class BenchUnguardedConfiguration {

    public static final String PROFILE = "bench-unguarded";
    public static final String ENV = "BEELDBRUG_BENCH_UNGUARDED";
    public static final String OPT_IN = "measure-only";

    private static final Logger log = LoggerFactory.getLogger(BenchUnguardedConfiguration.class);

    public BenchUnguardedConfiguration() {
        requireOptIn(System.getenv());
        log.warn("*****************************************************************************************");
        log.warn("* PROFILE {}: NO CONSENT CHECK AND NO AUDIT TRAIL. For benchmarks only, never with real data. *", PROFILE);
        log.warn("*****************************************************************************************");
    }

    /** Throws unless {@code environment} opts in explicitly. */
    static void requireOptIn(Map<String, String> environment) {
        if (!OPT_IN.equals(environment.get(ENV))) {
            throw new IllegalStateException("profile " + PROFILE + " switches consent and audit off and is for benchmarks"
                    + " only; it starts only with the environment variable " + ENV + "=" + OPT_IN);
        }
    }

    @Bean
    @Primary
    ReleaseGuard unguardedReleaseGuard(ConsentService consent, OrganisationDirectory directory) {
        return new PassThrough(consent, directory);
    }

    @Bean
    @Primary
    AuditMessageQueue droppingAuditMessageQueue() {
        return (context, messages) -> { };
    }

    /** Releases everything, decides and records nothing. */
    static final class PassThrough extends ReleaseGuard {

        PassThrough(ConsentService consent, OrganisationDirectory directory) {
            super(consent, directory);
        }

        @Override
        public <T> List<T> permitted(RequestContext context, List<T> items, Function<T, ResourceMetadata> metadata, ReleaseLog log) {
            return List.copyOf(items);
        }

        @Override
        public boolean permits(RequestContext context, ResourceMetadata resource, ReleaseLog log) {
            return true;
        }
    }
}
