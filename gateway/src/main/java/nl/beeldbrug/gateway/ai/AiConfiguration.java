package nl.beeldbrug.gateway.ai;

import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.bridge.ServeProperties;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.imaging.KosManifestContentReader;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.ai.CohortCandidates;
import nl.beeldbrug.registry.ai.CohortSelector;
import nl.beeldbrug.registry.ai.CohortStore;
import nl.beeldbrug.registry.ai.ValidationGate;
import nl.beeldbrug.registry.bridge.IdentityResolution;
import nl.beeldbrug.registry.bridge.PatientIdentityResolver;
import nl.beeldbrug.registry.bridge.SourceIdentityResolvers;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The AI platforms (issue 7): their keys, the access check every AI release point asks first, and the cohort request. */
@Configuration(proxyBeanMethods = false)
public class AiConfiguration {

    @Bean
    AiPlatforms aiPlatforms(AiProperties properties) {
        return new AiPlatforms(properties);
    }

    @Bean
    CohortStore cohortStore(DataSource dataSource) {
        return new CohortStore(dataSource);
    }

    @Bean
    AiAccess aiAccess(AiPlatforms platforms) {
        return new AiAccess(platforms);
    }

    /**
     * The gate: the built-in rules, the configured extra rules ({@code beeldbrug.ai.validation.rules}), and the identity
     * strategy of each connected source for a header without a BSN (PIX, XREF).
     */
    @Bean
    ValidationGate validationGate(AiProperties properties, BridgeProperties bridge,
                                  @Qualifier("pixIdentityResolver") SourceIdentityResolvers pix,
                                  @Qualifier("xrefIdentityResolver") SourceIdentityResolvers xref) {
        List<ValidationGate.HeaderRule> rules = properties.validation() == null ? List.of()
                : properties.validation().rules().stream().map(AiConfiguration::rule).toList();
        PatientIdentityResolver bySource = (sourceId, patient) -> {
            var strategy = sourceId == null ? null : bridge.source(sourceId).map(s -> s.identity().strategy()).orElse(null);
            if (strategy == BridgeProperties.Identity.Strategy.PIX) {
                return pix.resolve(sourceId, patient);
            }
            if (strategy == BridgeProperties.Identity.Strategy.XREF) {
                return xref.resolve(sourceId, patient);
            }
            return new IdentityResolution.Unresolved(IdentityResolution.Reason.NO_BSN, "no identity strategy beyond the header");
        };
        return new ValidationGate(rules, bySource);
    }

    private static ValidationGate.HeaderRule rule(AiProperties.Rule rule) {
        try {
            return new ValidationGate.HeaderRule(rule.code(), ValidationGate.tag(rule.tag()),
                    rule.required() == null || rule.required().isEmpty() ? null : Pattern.compile(rule.required()),
                    rule.forbidden() == null || rule.forbidden().isEmpty() ? null : Pattern.compile(rule.forbidden()),
                    rule.description());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("beeldbrug.ai.validation.rules (" + rule.code() + "): " + e.getMessage(), e);
        }
    }

    @Bean
    AiCohortService aiCohortService(DataSource dataSource, CohortStore store, ValidationGate gate, ReleaseGuard guard,
                                    BridgeProperties bridge, Archives archives, ServeProperties serve) {
        CohortSelector selector = new CohortSelector(new CohortCandidates(dataSource, new KosManifestContentReader()), store, gate, ExamNormaliser.standard());
        return new AiCohortService(selector, guard, new ArchiveStudyEvidence(bridge, archives, serve.defaultSource()),
                Clock.systemUTC());
    }

    /** {@code ImagingStudy/$ai-cohort}; {@code beeldbrug.ai.max-cohort-size} caps {@code max} (10000). */
    @Bean
    AiCohortOperation aiCohortOperation(AiAccess access, AiCohortService service, Requesters requesters,
                                        @Value("${beeldbrug.ai.max-cohort-size:10000}") int maxCohortSize) {
        return new AiCohortOperation(access, service, requesters, ExamNormaliser.standard(), maxCohortSize);
    }
}
