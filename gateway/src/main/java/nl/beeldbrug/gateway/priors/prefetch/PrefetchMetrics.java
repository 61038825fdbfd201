package nl.beeldbrug.gateway.priors.prefetch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import nl.beeldbrug.registry.bridge.imports.ImportJob;
import nl.beeldbrug.registry.bridge.imports.PrefetchOrderStore;

import java.time.Duration;

/**
 * Counting what prefetch does (issue 5 point 5). The lead time of a prefetched prior is the order's planned
 * (scheduled) time minus the moment its import job ended done; recorded by the timer when the import ended before
 * the planned time, and counted as late when it ended later than {@code deadline} before the planned time.
 */
public final class PrefetchMetrics {

    private final Counter received;
    private final Counter rejected;
    private final Counter repeated;
    private final Counter queued;
    private final Counter prefetched;
    private final Counter failed;
    private final Counter late;
    private final Timer leadTime;
    private final Duration deadline;

    public PrefetchMetrics(MeterRegistry meters, Duration deadline) {
        this.deadline = deadline;
        received = Counter.builder("beeldbrug.priors.prefetch.orders.received")
                .description("Orders received for prefetch (HL7 v2 and FHIR)").register(meters);
        rejected = Counter.builder("beeldbrug.priors.prefetch.orders.rejected")
                .description("Orders refused (AE/AR, or 4xx): unreadable, unknown hospital, not processable").register(meters);
        repeated = Counter.builder("beeldbrug.priors.prefetch.orders.repeated")
                .description("Orders received again (same hospital and placer order number): nothing queued").register(meters);
        queued = Counter.builder("beeldbrug.priors.prefetch.queued")
                .description("Priors queued for import into a hospital PACS").register(meters);
        prefetched = Counter.builder("beeldbrug.priors.prefetched")
                .description("Priors imported into a hospital PACS ahead of an order's exam (import done)").register(meters);
        failed = Counter.builder("beeldbrug.priors.prefetch.failed")
                .description("Prefetch imports that ended failed").register(meters);
        late = Counter.builder("beeldbrug.priors.prefetch.late")
                .description("Prefetch imports done later than the deadline before the planned exam").register(meters);
        leadTime = Timer.builder("beeldbrug.priors.prefetch.lead.time")
                .description("Planned exam time minus the time the prior's import was done (imports done before the exam)")
                .publishPercentileHistogram().register(meters);
    }

    void received() {
        received.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void repeated() {
        repeated.increment();
    }

    void queued(int n) {
        queued.increment(n);
    }

    /** One prefetch import job ended. */
    void ended(PrefetchOrderStore.Ended ended) {
        if (ended.state() != ImportJob.State.DONE || ended.finishedAt() == null) {
            failed.increment();
            return;
        }
        prefetched.increment();
        Duration lead = Duration.between(ended.finishedAt(), ended.plannedAt());
        if (!lead.isNegative()) {
            leadTime.record(lead);
        }
        if (lead.compareTo(deadline) < 0) {
            late.increment();
        }
    }
}
