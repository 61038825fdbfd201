package nl.beeldbrug.gateway.bridge;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * PACS bridge publishing (issue 8 point 2), under {@code beeldbrug.bridge.publishing.*}; the archives themselves
 * are {@link BridgeProperties}.
 *
 * @param enabled      false = no polling, no SCP, no publishing (the review list stays readable)
 * @param spoolDir     where the C-STORE SCP spools received instances; pushed report instances (SR, PDF) are kept
 *                     here under {@code reports/<source>/} until registered
 * @param lookback     a poll asks for studies with a Study Date from the watermark (the date of the previous poll)
 *                     minus this much; the first poll of a source asks for every study
 * @param batch        at most this many studies published per source and round
 * @param bindAddress  the address the C-STORE SCP listens on
 */
@ConfigurationProperties("beeldbrug.bridge.publishing")
public record PublishingProperties(@DefaultValue("true") boolean enabled,
                                   @DefaultValue("data/bridge") Path spoolDir,
                                   @DefaultValue("1d") Duration lookback,
                                   @DefaultValue("100") int batch,
                                   @DefaultValue("0.0.0.0") String bindAddress) {
}
