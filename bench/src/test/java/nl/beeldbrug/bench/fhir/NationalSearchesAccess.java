package nl.beeldbrug.bench.fhir;

import nl.beeldbrug.bench.corpus.national.NationalCorpus;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/** Test access to the national searches from other packages. */
public final class NationalSearchesAccess {

    public record Search(String bsn, String modality, LocalDate startedFrom, Set<String> expectedUids) {
    }

    private NationalSearchesAccess() {
    }

    public static List<Search> draw(NationalCorpus corpus, int size, long seed) {
        return StudyQueries.drawNational(corpus, size, seed).searches().stream()
                .map(s -> new Search(s.bsn(), s.modality(), s.startedFrom(), s.expectedUids())).toList();
    }
}
