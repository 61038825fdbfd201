package nl.beeldbrug.gateway.ai;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Delivery to AI platforms, under {@code beeldbrug.ai-delivery.*}.
 *
 * @param dataDir      where bulk exports are written ({@code exports/<id>/<pseudoStudyUid>.zip}) and instances spooled
 * @param exports      the export worker: on/off, poll interval, lease
 * @param defaultLimit QIDO-RS page size without {@code limit}
 * @param maxLimit     the largest {@code limit} honoured
 */
@ConfigurationProperties("beeldbrug.ai-delivery")
public record AiDeliveryProperties(@DefaultValue("data/ai") Path dataDir,
                                   @DefaultValue Exports exports,
                                   @DefaultValue("100") int defaultLimit,
                                   @DefaultValue("1000") int maxLimit) {

    public record Exports(@DefaultValue("true") boolean enabled,
                          @DefaultValue("2s") Duration pollInterval,
                          @DefaultValue("60s") Duration lease) {
    }
}
