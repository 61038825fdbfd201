package nl.beeldbrug.bench.corpus;

import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark corpus, fully determined by its parameters: {@code patients} patients with valid
 * BSNs counted up from {@link #FIRST_BSN}, and {@code studies} imaging studies spread over them so
 * that every patient has at least one (1 + Poisson(studies/patients - 1) each). Every study is one
 * {@link SyntheticStudies} study (KOS manifest + radiology report), so it becomes two
 * DocumentEntries.
 *
 * <p>The BSNs pass the elfproef but lie outside the 99999xxxx test range (which has only ~900
 * valid numbers); they are synthetic and never leave the benchmark machine.
 */
public record Corpus(long seed, int studies, int patients, ZonedDateTime now) implements StudyCorpus {

    /** Patients are the valid BSNs from here upward. */
    public static final int FIRST_BSN = 100_000_000;

    public Corpus {
        if (patients < 1 || studies < patients) {
            throw new IllegalArgumentException("need 1 <= patients <= studies, got " + patients + " patients, " + studies + " studies");
        }
        if (patients >= 10_000_000) {
            throw new IllegalArgumentException("at most 9,999,999 patients");
        }
    }

    @Override
    public long documentEntries() {
        return 2L * studies;
    }

    /** The patients' BSNs, in order. */
    public List<Bsn> patientBsns() {
        return bsns(patients);
    }

    /** The first {@code count} valid BSNs from {@link #FIRST_BSN}. */
    public static List<Bsn> bsns(int count) {
        List<Bsn> result = new ArrayList<>(count);
        for (int n = FIRST_BSN; result.size() < count; n++) {
            Bsn.parse(Integer.toString(n)).ifPresent(result::add);
        }
        return result;
    }

    /** How many studies each patient has (index = patient number). */
    public int[] studiesPerPatient() {
        int[] counts = new int[patients];
        java.util.Arrays.fill(counts, 1);
        Random random = new Random(seed);
        for (int i = patients; i < studies; i++) {
            counts[random.nextInt(patients)]++;
        }
        return counts;
    }


    /**
     * SyntheticStudies derives the accession number from the seed modulo 1000, which repeats across
     * a million studies; the corpus gives each study its own (same assigning authority and type).
     */
    private static void uniqueAccession(DocumentEntry entry, String accession) {
        List<ReferenceId> ids = entry.getReferenceIdList();
        for (int i = 0; i < ids.size(); i++) {
            ReferenceId id = ids.get(i);
            if (ReferenceId.ID_TYPE_CODE_ACCESSION.equals(id.getIdTypeCode())) {
                ids.set(i, new ReferenceId(accession, id.getAssigningAuthority(), id.getIdTypeCode()));
            }
        }
    }

    /** Patient {@code p}'s studies ({@code bsns} and {@code counts} as from this corpus). */
    public PatientStudies patient(int p, List<Bsn> bsns, int[] counts) {
        List<SyntheticStudies.Study> list = SyntheticStudies.studies(counts[p], List.of(bsns.get(p)), patientSeed(p), now);
        for (int i = 0; i < list.size(); i++) {
            String accession = "ACC" + p + "-" + i;
            uniqueAccession(list.get(i).manifest(), accession);
            uniqueAccession(list.get(i).report(), accession);
        }
        return new PatientStudies(p, bsns.get(p), list);
    }

    /** The seeded source of patient {@code p}'s entryUUIDs (the registry draws them at random). */
    public EntryUuids uuidSource(int p) {
        return new EntryUuids(seed, p);
    }
}
