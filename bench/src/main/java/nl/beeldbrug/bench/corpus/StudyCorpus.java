package nl.beeldbrug.bench.corpus;

import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.patient.Bsn;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Consumer;

/**
 * A deterministic benchmark corpus as the loaders and senders read it: patients (valid BSNs), how many studies each
 * has, and each patient's studies as the XDS-I metadata Beeldbrug registers. Implemented by the small {@link Corpus}
 * and the {@link nl.beeldbrug.bench.corpus.national.NationalCorpus}.
 */
public interface StudyCorpus {

    long seed();

    int patients();

    /** Studies in all. */
    int studies();

    /** The reference time; every study lies before it. */
    ZonedDateTime now();

    /** The patients' BSNs, in order (index = patient number). */
    List<Bsn> patientBsns();

    /** How many studies each patient has (index = patient number). */
    int[] studiesPerPatient();

    /** Patient {@code p}'s studies ({@code bsns} and {@code counts} as from this corpus). */
    PatientStudies patient(int p, List<Bsn> bsns, int[] counts);

    /** The seeded source of patient {@code p}'s entryUUIDs (the registry draws them at random). */
    EntryUuids uuidSource(int p);

    /**
     * The seed of one patient's UIDs: fixed width (14 digits), so that the UIDs derived from it
     * ({@code 2.25.<patient seed>1<index>}) are unique across patients.
     */
    default long patientSeed(int patient) {
        return (Math.floorMod(seed(), 1_000_000L) + 1_000_000L) * 10_000_000L + patient;
    }

    /** Whether study {@code index} of patient {@code patient} has a report (its Study then carries one). */
    default boolean hasReport(int patient, int index) {
        return true;
    }

    /** A short name of the kind of corpus, for markers and summaries. */
    default String kind() {
        return "small";
    }

    /** DocumentEntries when every study registers its manifest and its report (if any). */
    default long documentEntries() {
        int[] counts = studiesPerPatient();
        long entries = 0;
        for (int p = 0; p < counts.length; p++) {
            for (int i = 0; i < counts[p]; i++) {
                entries += hasReport(p, i) ? 2 : 1;
            }
        }
        return entries;
    }

    /** Generates the corpus patient by patient, in a fixed order, without holding it in memory. */
    default void forEach(Consumer<PatientStudies> consumer) {
        List<Bsn> bsns = patientBsns();
        int[] counts = studiesPerPatient();
        for (int p = 0; p < patients(); p++) {
            consumer.accept(patient(p, bsns, counts));
        }
    }

    /** One patient's studies. */
    record PatientStudies(int patientNumber, Bsn bsn, List<SyntheticStudies.Study> studies) {
    }
}
