package nl.beeldbrug.gateway.priors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.StudySearch;
import nl.beeldbrug.registry.priors.CanonicalExam;
import nl.beeldbrug.registry.priors.ExamDescription;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import nl.beeldbrug.registry.priors.PriorRanker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * The prior check behind the FHIR operation and the CDS Hooks services: the patient's studies the requester may
 * see (consent decided per study and, for the links, per report — before ranking, so a denied study never shapes
 * an answer), normalised and ranked for the planned exam.
 */
public final class PriorCheckService {

    private final ImagingStudyIndex index;
    private final ReleaseGuard guard;
    private final ExamNormaliser normaliser;
    private final PriorRanker ranker;
    private final int maxStudies;
    private final Counter checks;
    private final Counter duplicatesFlagged;

    public PriorCheckService(ImagingStudyIndex index, ReleaseGuard guard, ExamNormaliser normaliser, PriorRanker ranker,
                             int maxStudies, MeterRegistry meters) {
        this.index = index;
        this.guard = guard;
        this.normaliser = normaliser;
        this.ranker = ranker;
        this.maxStudies = maxStudies;
        this.checks = Counter.builder("beeldbrug.priors.checks").description("Prior checks answered").register(meters);
        this.duplicatesFlagged = Counter.builder("beeldbrug.priors.duplicates.flagged")
                .description("Prior checks that found a likely duplicate of the planned exam").register(meters);
    }

    public ExamNormaliser normaliser() {
        return normaliser;
    }

    public PriorCheck check(RequestContext requester, ReleaseLog log, String bsn, ExamDescription planned, Instant plannedDate) {
        CanonicalExam exam = normaliser.normalise(planned);
        List<ImagingStudySummary> visible = newestPermitted(maxStudies,
                (offset, count) -> index.search(StudySearch.forPatient(bsn), offset, count).studies(),
                page -> guard.permitted(requester, page,
                        s -> guard.metadata(s.patientBsn(), s.studyInstanceUid(), DataClass.IMAGING_STUDY, holder(s)), log));
        record Report(ImagingStudySummary study, ImagingStudySummary.StudyDocument document) {
        }
        List<Report> reports = new ArrayList<>();
        visible.forEach(study -> study.reports().forEach(report -> reports.add(new Report(study, report))));
        Set<String> visibleReports = new HashSet<>();
        for (Report report : guard.permitted(requester, reports, r -> guard.metadata(r.study().patientBsn(),
                r.study().studyInstanceUid(), DataClass.REPORT, holder(r.study())), log)) {
            visibleReports.add(report.document().uniqueId());
        }
        List<PriorRanker.Ranked<ImagingStudySummary>> ranked = ranker.rank(new PriorRanker.Planned(exam, plannedDate), visible,
                this::examOf, ImagingStudySummary::started);
        PriorCheck check = new PriorCheck(exam, plannedDate, ranked, visibleReports);
        checks.increment();
        if (check.duplicate()) {
            duplicatesFlagged.increment();
        }
        return check;
    }

    /**
     * The newest {@code max} items that pass {@code permitted}, read page by page (pages of {@code max}, newest first)
     * until {@code max} are permitted or the pages run out — so denied studies never crowd permitted ones out of the
     * check: the answer is the one a registry without the denied studies would give.
     */
    static <T> List<T> newestPermitted(int max, BiFunction<Integer, Integer, List<T>> page, UnaryOperator<List<T>> permitted) {
        List<T> visible = new ArrayList<>();
        for (int offset = 0; visible.size() < max; ) {
            List<T> items = page.apply(offset, max);
            visible.addAll(permitted.apply(items));
            if (items.size() < max) {
                break;
            }
            offset += items.size();
        }
        return visible.size() > max ? List.copyOf(visible.subList(0, max)) : visible;
    }

    private static String holder(ImagingStudySummary study) {
        return study.performer() == null ? null : study.performer().ura();
    }

    /** What a stored study is: its modality and body site codes and its description. */
    CanonicalExam examOf(ImagingStudySummary study) {
        List<ExamDescription.Code> codes = new ArrayList<>();
        study.modalities().forEach(m -> codes.add(new ExamDescription.Code(ExamDescription.DCM, m.code())));
        study.bodySites().forEach(b -> codes.add(new ExamDescription.Code(
                b.schemeOid() == null ? ExamDescription.SNOMED : b.schemeOid(), b.code())));
        return normaliser.normalise(new ExamDescription(codes, study.description()));
    }
}
