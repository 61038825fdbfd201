package nl.beeldbrug.gateway.priors;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.priors.DuplicateWindows;
import nl.beeldbrug.registry.priors.ExamDescription;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import nl.beeldbrug.registry.priors.PriorRanker;
import org.hl7.fhir.r4.model.Bundle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * For the leak property test: the prior check (default configuration) as it would answer if the studies and reports a
 * test oracle withholds were never registered — the index is asked as the gateway asks it, and only what
 * {@code permitted} lets through is ranked — and the {@code $prior-check} Bundle of such an answer.
 */
public final class PriorCheckOracle {

    private final ImagingStudyIndex index;
    private final int maxStudies;
    private final ExamNormaliser normaliser = ExamNormaliser.standard();
    private final PriorRanker ranker = new PriorRanker(normaliser.regions(), DuplicateWindows.defaults());
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final PriorCheckOperation operation = new PriorCheckOperation(null, null, Clock.systemUTC());

    public PriorCheckOracle(ImagingStudyIndex index, int maxStudies) {
        this.index = index;
        this.maxStudies = maxStudies;
    }

    /** @param permitted (study UID, data class) → whether the oracle releases it */
    public PriorCheck check(BiPredicate<String, DataClass> permitted, String bsn, ExamDescription planned, Instant when) {
        ReleaseGuard only = new ReleaseGuard(null, null) {
            @Override
            public <T> List<T> permitted(RequestContext context, List<T> items, Function<T, ResourceMetadata> metadata, ReleaseLog log) {
                return items.stream().filter(item -> {
                    ResourceMetadata m = metadata.apply(item);
                    return permitted.test(m.studyInstanceUid(), m.dataClass());
                }).toList();
            }

            @Override
            public ResourceMetadata metadata(String patient, String studyInstanceUid, DataClass dataClass, String holderUra) {
                return new ResourceMetadata(Bsn.of(patient), studyInstanceUid, dataClass, UNKNOWN_HOLDER, OrganisationType.HOSPITAL);
            }
        };
        return new PriorCheckService(index, only, normaliser, ranker, maxStudies, meters).check(null, null, bsn, planned, when);
    }

    /** The {@code $prior-check} answer of {@code check} ({@code base}: the FHIR server base). */
    public Bundle bundle(PriorCheck check, String base) {
        return operation.bundle(check, base);
    }
}
