package nl.beeldbrug.gateway.priors;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Prior-study checks (issue 5), under {@code beeldbrug.priors.*}.
 *
 * @param duplicateWindows per canonical modality (CT, MR, US, XR, MG, NM, PT, XA, RF, DXA), overriding the evidence-based
 *                         defaults of {@link nl.beeldbrug.registry.priors.DuplicateWindows}
 * @param maxStudies       the most studies of one patient a check looks at (newest first)
 * @param cardPriors       how many relevant priors the information card lists
 */
@ConfigurationProperties("beeldbrug.priors")
public record PriorsProperties(@DefaultValue Map<String, Duration> duplicateWindows,
                               @DefaultValue("1000") int maxStudies,
                               @DefaultValue("3") int cardPriors) {
}
