package nl.beeldbrug.bench.corpus.national;

import nl.beeldbrug.registry.demo.SyntheticStudies.Site;
import nl.beeldbrug.registry.priors.Laterality;

import java.time.ZonedDateTime;

/**
 * One study of the national corpus as plain values, from which both its XDS-I metadata and its FHIR ImagingStudy
 * are made. {@code started} is Dutch local time (Europe/Amsterdam); {@code instances} has one count per series.
 */
public record NationalStudy(int patient, int index, String studyUid, String accession, String dicomModality,
                            ExamCatalogue.Exam exam, Laterality laterality, Site site, ZonedDateTime started,
                            boolean report, int[] instances) {

    public String description() {
        return exam.describe(laterality);
    }

    public int series() {
        return instances.length;
    }

    public int instanceCount() {
        int n = 0;
        for (int i : instances) {
            n += i;
        }
        return n;
    }

    /** Series {@code s}'s UID (1-based numbering under the study UID). */
    public String seriesUid(int s) {
        return studyUid + "." + (s + 1);
    }
}
