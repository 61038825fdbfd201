package nl.beeldbrug.gateway.priors.prefetch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * Prefetch of priors (issue 5 point 4), under {@code beeldbrug.priors.prefetch.*}.
 *
 * @param enabled       prefetch on: the order listener (when {@code orderPort} > 0) and {@code ServiceRequest/$prefetch}
 * @param orderHost     the address the HL7 v2 order listener (MLLP) binds to
 * @param orderPort     its port; 0 = no listener
 * @param facilities    MSH-4-1 (sending facility) of an order → the bridge source id of that hospital's PACS (the
 *                      import target; the hospital's URA is the requester of the prior check)
 * @param maxPriors     at most this many priors imported per order
 * @param maxAge        priors older than this before the planned date are not imported
 * @param deadline      the priors should be in the PACS this long before the planned time; an import that ends later
 *                      is counted as late ({@code beeldbrug.priors.prefetch.late})
 * @param watchInterval how often the ends of prefetch import jobs are looked for (metrics)
 */
@ConfigurationProperties("beeldbrug.priors.prefetch")
public record PrefetchProperties(@DefaultValue("false") boolean enabled,
                                 @DefaultValue("0.0.0.0") String orderHost,
                                 @DefaultValue("0") int orderPort,
                                 @DefaultValue Map<String, String> facilities,
                                 @DefaultValue("3") int maxPriors,
                                 @DefaultValue("1827d") Duration maxAge,
                                 @DefaultValue("1h") Duration deadline,
                                 @DefaultValue("5s") Duration watchInterval) {
}
