package nl.beeldbrug.gateway.bridge;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Serving retrievals and importing studies (issue 8, points 3 and 4), under {@code beeldbrug.bridge.serve.*}.
 *
 * @param defaultSource  the id of the source asked for a study whose author institution is no connected archive;
 *                       empty = such a study is "not available" (404)
 * @param spoolDir       where instances received by C-GET or WADO-RS wait (one at a time per request) before
 *                       they are streamed on or stored; never a whole study
 * @param imports        the import job worker
 */
@ConfigurationProperties("beeldbrug.bridge.serve")
public record ServeProperties(@DefaultValue("") String defaultSource,
                              @DefaultValue("data/bridge-spool") Path spoolDir,
                              @DefaultValue Imports imports) {

    /**
     * @param enabled        whether this process runs an import worker (several processes may)
     * @param pollInterval   how often the worker looks for a due job when idle
     * @param lease          how long a claimed job stays with its worker without a sign of life; after that
     *                       (a crashed worker) another worker takes it over
     * @param maxAttempts    attempts before a job ends as failed
     * @param firstBackoff   the wait after the first failed attempt; doubled after each further one
     * @param maxBackoff     the longest wait between attempts
     * @param batchSize      instances stored into the target per association / STOW-RS request
     */
    public record Imports(@DefaultValue("true") boolean enabled,
                          @DefaultValue("2s") Duration pollInterval,
                          @DefaultValue("60s") Duration lease,
                          @DefaultValue("6") int maxAttempts,
                          @DefaultValue("10s") Duration firstBackoff,
                          @DefaultValue("10m") Duration maxBackoff,
                          @DefaultValue("50") int batchSize) {
    }
}
