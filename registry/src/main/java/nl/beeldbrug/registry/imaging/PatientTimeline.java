package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.imaging.ImagingStudySummary.StudyDocument;

import java.util.ArrayList;
import java.util.List;

/**
 * A patient's imaging timeline (Twiin): one entry per study, newest first (by the study's earliest
 * serviceStartTime; studies without one last), each with the reports registered for it. A study
 * appears once however many manifests or reports it has; reports are the DocumentEntries that share
 * the study's Study Instance UID in their referenceIdList. Only the patient's own Approved entries
 * take part: another patient's study never appears, even under the same UID. For the web pages and
 * the prior-study check, and FHIR {@code Patient/$timeline}.
 */
public final class PatientTimeline {

    /** More studies than this for one patient is refused rather than answered in part. */
    public static final int MAX_ENTRIES = 2000;

    private final ImagingStudyIndex index;

    public PatientTimeline(ImagingStudyIndex index) {
        this.index = index;
    }

    /** One study on the timeline, with its reports (newest registered first) and manifests. */
    public record Entry(ImagingStudySummary study) {

        public List<StudyDocument> reports() {
            return study.reports();
        }

        public List<StudyDocument> manifests() {
            return study.manifests();
        }
    }

    /** Thrown when a patient has more than {@link #MAX_ENTRIES} studies. */
    public static final class TooManyStudies extends RuntimeException {
        public TooManyStudies(int total) {
            super("the timeline has " + total + " studies, more than " + MAX_ENTRIES);
        }
    }

    /** The whole timeline of the patient with this BSN (nine digits), newest first; empty when none. */
    public List<Entry> of(String patientBsn) {
        return of(patientBsn, java.util.List.of());
    }

    /** The timeline as if the {@code withheld} entries (entryUUIDs) were not registered (consent denied them). */
    public List<Entry> of(String patientBsn, java.util.Collection<String> withheld) {
        if (patientBsn == null || patientBsn.isEmpty()) {
            throw new IllegalArgumentException("a timeline is of one patient");
        }
        ImagingStudyIndex.StudyPage page = index.search(StudySearch.forPatient(patientBsn), 0, MAX_ENTRIES + 1, withheld);
        if (page.total() > MAX_ENTRIES) {
            throw new TooManyStudies(page.total());
        }
        List<Entry> entries = new ArrayList<>(page.studies().size());
        for (ImagingStudySummary study : page.studies()) {
            entries.add(new Entry(study));
        }
        return List.copyOf(entries);
    }
}
