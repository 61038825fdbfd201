package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;

/**
 * How the corpus's studies are registered. {@code full}: every study as its source submits it, a KOS
 * manifest (ITI-42) and a report (ITI-41), each in a SubmissionSet of its own (~13 KB of database per
 * study). {@code lean} (national scale): one SubmissionSet per patient holding all of the patient's
 * manifests, and a report only for one study in {@code reportEvery} (with its text in the repository),
 * i.e. the rows the registry writes for a source that submits a patient's studies in one batch and
 * whose reports mostly live elsewhere.
 */
record Layout(boolean lean, int reportEvery) {

    Layout {
        if (lean && reportEvery < 1) {
            throw new IllegalArgumentException("reportEvery must be at least 1");
        }
    }

    static Layout full() {
        return new Layout(false, 1);
    }

    static Layout lean(int reportEvery) {
        return new Layout(true, reportEvery);
    }

    /** Whether study {@code index} of patient {@code patient} is registered with its report. */
    boolean hasReport(int patient, int index) {
        return !lean || Math.floorMod(31L * patient + index, reportEvery) == 0;
    }

    String describe() {
        return lean ? "lean(report 1/" + reportEvery + ", 1 set/patient)" : "full";
    }

    /** The rows a load of {@code corpus} in this layout writes. */
    Rows rows(StudyCorpus corpus) {
        int[] counts = corpus.studiesPerPatient();
        long reports = 0;
        for (int p = 0; p < counts.length; p++) {
            for (int i = 0; i < counts[p]; i++) {
                if (corpus.hasReport(p, i) && hasReport(p, i)) {
                    reports++;
                }
            }
        }
        long entries = corpus.studies() + reports;
        if (!lean) {
            return new Rows(corpus.patients(), entries, entries, entries, reports);
        }
        return new Rows(corpus.patients(), entries, corpus.patients(), entries, reports);
    }

    /** Row counts per table (associations: one HasMember per DocumentEntry). */
    record Rows(long patients, long documentEntries, long submissionSets, long associations, long contents) {
    }
}
