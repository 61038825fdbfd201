package nl.beeldbrug.registry.ai;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.priors.BodyRegions;
import nl.beeldbrug.registry.priors.CanonicalExam;
import nl.beeldbrug.registry.priors.ExamDescription;
import nl.beeldbrug.registry.priors.ExamNormaliser;

/**
 * Selects a cohort for an AI platform (issue 7 points 2 and 3): the registered studies matching the criteria, newest
 * first, page by page; of each page first the consent — only studies the {@link ConsentFilter} permits for the
 * platform with purpose AI are considered at all, so a patient without an AI consent appears in no member, no
 * exclusion and no count — then the {@link ValidationGate} over the source archive's headers. Stops when
 * {@code maxCount} studies are INCLUDED, the candidates run out, or the gate has examined its limit of studies
 * ({@link #examineLimit}: by default 4 × {@code maxCount}, at least 20) — each examination reads a study's headers
 * from its source archive, so a cohort whose candidates are mostly excluded must not turn one request into a crawl of
 * every archive; {@link Selection#stoppedEarly()} says so. The outcome is stored ({@link CohortStore}).
 * <p>
 * A registered study whose BSN fails the elfproef cannot carry a consent (consents are recorded per valid BSN), so it
 * is never permitted; the gate's {@link ValidationGate#INVALID_BSN} rule guards the release all the same.
 */
public final class CohortSelector {

    /** How many candidates are read at a time. */
    static final int PAGE = 200;

    /** The consent decision of the release point (purpose AI, the platform as requester); keeps the permitted, in order. */
    @FunctionalInterface
    public interface ConsentFilter {
        List<StudyCandidate> permitted(List<StudyCandidate> candidates);
    }

    /**
     * The outcome: the cohort, its INCLUDED studies (member + what the registry knows), its exclusions, how many studies
     * the gate examined, and whether it stopped at its limit before {@code maxCount} were included.
     */
    public record Selection(Cohort cohort, List<Included> included, List<CohortExclusion> exclusions, int examined,
                            boolean stoppedEarly) {
        public Selection {
            included = List.copyOf(included);
            exclusions = List.copyOf(exclusions);
        }

        public Selection(Cohort cohort, List<Included> included, List<CohortExclusion> exclusions) {
            this(cohort, included, exclusions, included.size() + exclusions.size(), false);
        }
    }

    /** An INCLUDED study, with its registry facts and the archive's instance count. */
    public record Included(CohortMember member, StudyCandidate study, int instances) {
    }

    private final CohortCandidates candidates;
    private final CohortStore store;
    private final ValidationGate gate;
    private final ExamNormaliser normaliser;
    private final int examineFactor;
    private final int examineFloor;

    public CohortSelector(CohortCandidates candidates, CohortStore store, ValidationGate gate, ExamNormaliser normaliser) {
        this(candidates, store, gate, normaliser, 4, 20);
    }

    /**
     * @param examineFactor the gate examines at most {@code examineFactor × maxCount} studies per request …
     * @param examineFloor  … and at least this many
     */
    public CohortSelector(CohortCandidates candidates, CohortStore store, ValidationGate gate, ExamNormaliser normaliser,
                          int examineFactor, int examineFloor) {
        this.candidates = Objects.requireNonNull(candidates, "candidates");
        this.store = Objects.requireNonNull(store, "store");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.normaliser = Objects.requireNonNull(normaliser, "normaliser");
        if (examineFactor < 1 || examineFloor < 1) {
            throw new IllegalArgumentException("the examine limit's factor and floor are at least 1");
        }
        this.examineFactor = examineFactor;
        this.examineFloor = examineFloor;
    }

    /** How many studies the gate examines at most for a cohort of {@code maxCount}. */
    public long examineLimit(int maxCount) {
        return Math.max((long) examineFactor * maxCount, examineFloor);
    }

    public Selection select(Ura platform, PlatformPseudonyms pseudonyms, CohortCriteria criteria, ConsentFilter consent,
                            StudyEvidence evidence, Instant at) {
        if (criteria.bodyRegion() != null && !normaliser.regions().known(criteria.bodyRegion())) {
            throw new IllegalArgumentException("unknown body region: " + criteria.bodyRegion());
        }
        Cohort cohort = store.create(platform, criteria, at);
        List<Included> included = new ArrayList<>();
        List<CohortExclusion> exclusions = new ArrayList<>();
        int offset = 0;
        long limit = examineLimit(criteria.maxCount());
        int examined = 0;
        boolean stoppedEarly = false;
        while (included.size() < criteria.maxCount() && !stoppedEarly) {
            List<StudyCandidate> page = candidates.page(criteria, offset, PAGE);
            if (page.isEmpty()) {
                break;
            }
            offset += page.size();
            List<StudyCandidate> matching = page.stream()
                    .filter(c -> Bsn.isValid(c.bsn()))            // no consent can exist for an invalid BSN
                    .filter(c -> inRegion(c, criteria.bodyRegion()))
                    .toList();
            for (StudyCandidate study : consent.permitted(matching)) {
                if (included.size() >= criteria.maxCount()) {
                    break;
                }
                if (examined >= limit) {
                    stoppedEarly = true;
                    break;
                }
                examined++;
                String pseudoUid = pseudonyms.uid(study.studyUid());
                List<InstanceHeader> headers;
                Optional<Exclusion> exclusion;
                try {
                    headers = evidence.headers(study);
                    exclusion = gate.check(study, evidence.sourceId(study), headers);
                } catch (IOException e) {
                    headers = List.of();
                    exclusion = Optional.of(new Exclusion(ValidationGate.INCOMPLETE,
                            "the source archive could not be read: completeness cannot be shown"));
                }
                if (exclusion.isPresent()) {
                    exclusions.add(new CohortExclusion(cohort.id(), study.studyUid(), pseudoUid, study.holder(), exclusion.get()));
                } else {
                    CohortMember member = new CohortMember(cohort.id(), study.studyUid(), pseudoUid, study.bsn(),
                            pseudonyms.patientPseudonym(study.bsn()), study.holder());
                    int instances = (int) headers.stream()
                            .filter(h -> !ValidationGate.KOS_CLASS.equals(h.get(ValidationGate.SOP_CLASS_UID))).count();
                    included.add(new Included(member, study, instances));
                }
            }
        }
        store.record(cohort.id(), included.stream().map(Included::member).toList(), exclusions);
        return new Selection(cohort, included, exclusions, examined, stoppedEarly);
    }

    /** Whether a study lies within the region asked for: any of its body sites is the region or lies within it. */
    boolean inRegion(StudyCandidate study, String region) {
        if (region == null) {
            return true;
        }
        Set<String> regions = regionsOf(study);
        BodyRegions hierarchy = normaliser.regions();
        return regions.stream().anyMatch(r -> hierarchy.covers(region, r));
    }

    /** The body regions of a study's registered SNOMED CT body site codes. */
    Set<String> regionsOf(StudyCandidate study) {
        List<ExamDescription.Code> codes = study.bodySites().stream()
                .map(code -> new ExamDescription.Code(ExamDescription.SNOMED, code)).toList();
        CanonicalExam exam = normaliser.normalise(new ExamDescription(codes, ""));
        return exam.regions();
    }
}
