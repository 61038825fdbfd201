package nl.beeldbrug.bench.fhir;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.corpus.national.NationalStudy;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * FHIR ImagingStudy requests drawn from the benchmark corpus, each with the answer the corpus says
 * it must have. A search takes a random patient, one of their studies, that study's modality and a
 * start date up to {@link #MAX_LOOKBACK_DAYS} days before the study (a date, so the whole UTC day
 * counts): it finds that study and any other of the patient's studies of that modality since then.
 * The expected total is counted from the corpus the way the gateway defines a study's start (its
 * earliest document's serviceStartTime: the KOS manifest's).
 */
final class StudyQueries {

    static final String DCM = "1.2.840.10008.2.16.4";
    /** The modality code system as FHIR names it. */
    static final String DCM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM";
    static final int MAX_LOOKBACK_DAYS = 3 * 365;

    /**
     * {@code patient.identifier=bsn|…&modality=…&started=ge…} (or {@code patient=Patient/p<n>}), and the number of
     * studies it must find; {@code expectedUids} the exact set (national corpus; null: only the number is known).
     */
    record Search(int patient, String bsn, String modality, LocalDate startedFrom, int expectedTotal, Set<String> expectedUids) {
    }

    /** One study of the corpus (for reads by id). */
    record StudyRef(String studyInstanceUid, String bsn) {
    }

    /** What {@link #draw} made. */
    record Pool(List<Search> searches, List<StudyRef> studies) {
        double meanExpected() {
            return searches.stream().mapToInt(Search::expectedTotal).average().orElse(0);
        }
    }

    private record StudyFacts(String uid, String modality, Instant started) {
    }

    private StudyQueries() {
    }

    /** {@code size} searches and as many study references, from a seeded draw over the corpus. */
    static Pool draw(StudyCorpus corpus, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        List<Search> searches = new ArrayList<>(size);
        List<StudyRef> studies = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int p = random.nextInt(corpus.patients());
            StudyCorpus.PatientStudies patient = corpus.patient(p, bsns, counts);
            List<StudyFacts> facts = patient.studies().stream().map(StudyQueries::facts).toList();
            StudyFacts chosen = facts.get(random.nextInt(facts.size()));
            LocalDate from = chosen.started().atZone(ZoneOffset.UTC).toLocalDate().minusDays(random.nextInt(MAX_LOOKBACK_DAYS + 1));
            Instant fromInstant = from.atStartOfDay(ZoneOffset.UTC).toInstant();
            int expected = (int) facts.stream()
                    .filter(f -> f.modality().equals(chosen.modality()) && !f.started().isBefore(fromInstant))
                    .count();
            String bsn = patient.bsn().value();
            searches.add(new Search(p, bsn, chosen.modality(), from, expected, null));
            StudyFacts other = facts.get(random.nextInt(facts.size()));
            studies.add(new StudyRef(other.uid(), bsn));
        }
        return new Pool(List.copyOf(searches), List.copyOf(studies));
    }

    /**
     * As {@link #draw}, over the national corpus: only patients whose consent lets a treating requester see every
     * study ({@link NationalCorpus#fullyVisible}, 95 %: a patient with a deny has fewer results at Beeldbrug than at
     * a peer without consent), with the exact expected set of Study Instance UIDs. A study's start date is its
     * Dutch local date (studies start 08:00–18:00, so the UTC date is the same).
     */
    static Pool drawNational(NationalCorpus corpus, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        int[] visible = java.util.stream.IntStream.range(0, corpus.patients()).filter(corpus::fullyVisible).toArray();
        List<Search> searches = new ArrayList<>(size);
        List<StudyRef> studies = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int p = visible[random.nextInt(visible.length)];
            List<NationalStudy> all = corpus.studiesOf(p, counts[p]);
            NationalStudy chosen = all.get(random.nextInt(all.size()));
            LocalDate from = chosen.started().toLocalDate().minusDays(random.nextInt(MAX_LOOKBACK_DAYS + 1));
            Set<String> expected = new TreeSet<>();
            for (NationalStudy s : all) {
                if (s.dicomModality().equals(chosen.dicomModality()) && !s.started().toLocalDate().isBefore(from)) {
                    expected.add(s.studyUid());
                }
            }
            String bsn = bsns.get(p).value();
            searches.add(new Search(p, bsn, chosen.dicomModality(), from, expected.size(), Set.copyOf(expected)));
            studies.add(new StudyRef(all.get(random.nextInt(all.size())).studyUid(), bsn));
        }
        return new Pool(List.copyOf(searches), List.copyOf(studies));
    }

    private static StudyFacts facts(SyntheticStudies.Study study) {
        DocumentEntry manifest = study.manifest();
        String uid = manifest.getReferenceIdList().stream()
                .filter(r -> ReferenceId.ID_TYPE_STUDY_INSTANCE_ID.equals(r.getIdTypeCode()))
                .map(ReferenceId::getId).findFirst().orElseThrow();
        String modality = manifest.getEventCodeList().stream()
                .filter(c -> DCM.equals(c.getSchemeName())).map(Code::getCode).findFirst().orElseThrow();
        Instant started = manifest.getServiceStartTime().getDateTime().toInstant();
        if (study.report() == null) {
            return new StudyFacts(uid, modality, started);
        }
        Instant reportStarted = study.report().getServiceStartTime().getDateTime().toInstant();
        return new StudyFacts(uid, modality, started.isBefore(reportStarted) ? started : reportStarted);
    }
}
