package nl.beeldbrug.bench.ingest;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.patient.Bsn;

import java.util.List;

/**
 * Where the studies to register come from: patient by patient, in a fixed order, each patient's
 * studies as {@link SyntheticStudies.Study} (submission set, KOS manifest entry, report entry, report
 * text, or no report): a {@link StudyCorpus}, the small bench corpus or the national one.
 */
public interface StudySource {

    /** One patient's studies. */
    record Patient(int number, Bsn bsn, List<SyntheticStudies.Study> studies) {
    }

    int patients();

    Patient patient(int number);

    /** Patient {@code number}'s BSN (without generating its studies). */
    Bsn bsn(int number);

    String description();

    /** A corpus ({@code load} uses the same ones). */
    static StudySource of(StudyCorpus corpus) {
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        return new StudySource() {
            @Override
            public int patients() {
                return corpus.patients();
            }

            @Override
            public Patient patient(int number) {
                StudyCorpus.PatientStudies p = corpus.patient(number, bsns, counts);
                return new Patient(p.patientNumber(), p.bsn(), p.studies());
            }

            @Override
            public Bsn bsn(int number) {
                return bsns.get(number);
            }

            @Override
            public String description() {
                return corpus.kind() + " corpus seed " + corpus.seed() + ", " + corpus.studies() + " studies, " + corpus.patients() + " patients";
            }
        };
    }
}
