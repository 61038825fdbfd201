package nl.beeldbrug.gateway.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.registry.xds.RegistryStatistics;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Prometheus gauges of what the registry holds: {@code beeldbrug_registry_objects{type,status}},
 * {@code beeldbrug_registry_associations}, {@code beeldbrug_repository_documents}. Counted at most
 * once every 10 seconds, whatever the scrape rate.
 */
@Component
public class RegistryMetrics {

    private static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final RegistryStatistics statistics;
    private volatile Map<String, Long> counts = Map.of();
    private volatile Instant countedAt = Instant.EPOCH;

    public RegistryMetrics(DataSource dataSource, MeterRegistry meters) {
        this.statistics = new RegistryStatistics(dataSource);
        for (String type : List.of("DocumentEntry", "SubmissionSet", "Folder")) {
            for (String status : List.of("Approved", "Deprecated")) {
                Gauge.builder("beeldbrug.registry.objects", () -> count(type + "/" + status))
                        .tag("type", type).tag("status", status)
                        .description("Registry objects by type and availability status").register(meters);
            }
        }
        Gauge.builder("beeldbrug.registry.associations", () -> count("Association"))
                .description("Associations in the registry").register(meters);
        Gauge.builder("beeldbrug.repository.documents", () -> count("DocumentContent"))
                .description("Documents whose bytes the repository holds").register(meters);
    }

    private double count(String key) {
        if (Instant.now().isAfter(countedAt.plus(MAX_AGE))) {
            synchronized (this) {
                if (Instant.now().isAfter(countedAt.plus(MAX_AGE))) {
                    try {
                        counts = statistics.counts();
                    } catch (RuntimeException e) {
                        return Double.NaN;
                    }
                    countedAt = Instant.now();
                }
            }
        }
        return counts.getOrDefault(key, 0L);
    }
}
