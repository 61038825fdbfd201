package nl.beeldbrug.registry.priors;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps what sources send — codes and Dutch or English descriptions ("MRI knie li", "CT thorax/abdomen",
 * "X-thorax", "echo bovenbuik") — to a {@link CanonicalExam}, with the maps {@code terms.tsv} and
 * {@code codes.tsv}. Codes win over words for the modality (a procedure code over a modality code); regions from
 * codes and words are joined, keeping the most specific; a side or contrast comes from words or procedure codes.
 */
public final class ExamNormaliser {

    private static final Map<String, String> SYSTEMS = Map.of(
            ExamDescription.SNOMED, "SNOMED", ExamDescription.DCM, "DCM", ExamDescription.LOINC, "LOINC",
            ExamDescription.BODY_PART_EXAMINED, "BPE", "SNOMED", "SNOMED", "DCM", "DCM", "LOINC", "LOINC");

    private final BodyRegions regions;
    private final Map<String, List<String>> terms = new HashMap<>();
    private final Map<String, List<String>> codes = new HashMap<>();
    private final int longestTerm;

    public ExamNormaliser(BodyRegions regions) {
        this.regions = regions;
        int longest = 1;
        for (String[] row : CodeMaps.rows("terms.tsv")) {
            String term = fold(row[1]);
            List<String> facts = facts(row[0] + "=" + row[2]);
            terms.computeIfAbsent(term, k -> new ArrayList<>()).addAll(facts);
            longest = Math.max(longest, term.split(" ").length);
        }
        this.longestTerm = longest;
        for (String[] row : CodeMaps.rows("codes.tsv")) {
            codes.put(row[0] + "|" + row[1].toUpperCase(Locale.ROOT), facts(row[2]));
        }
    }

    /** The maps shipped with Beeldbrug. */
    public static ExamNormaliser standard() {
        return new ExamNormaliser(BodyRegions.standard());
    }

    public BodyRegions regions() {
        return regions;
    }

    /** The versions of the maps in use, for explanations and the operator. */
    public static String mapVersions() {
        return "regions " + CodeMaps.version("regions.tsv") + ", terms " + CodeMaps.version("terms.tsv")
                + ", codes " + CodeMaps.version("codes.tsv");
    }

    public CanonicalExam normalise(ExamDescription exam) {
        Facts procedure = new Facts();
        Facts coded = new Facts();
        for (ExamDescription.Code code : exam.codes()) {
            String system = SYSTEMS.get(code.system());
            if (system == null || code.code() == null) {
                continue;
            }
            List<String> facts = codes.get(system + "|" + code.code().trim().toUpperCase(Locale.ROOT));
            if (facts != null) {
                ("LOINC".equals(system) ? procedure : coded).add(facts, system + " " + code.code());
            }
        }
        Facts words = new Facts();
        List<String> tokens = tokens(exam.text());
        for (int i = 0; i < tokens.size(); ) {
            int matched = 0;
            for (int n = Math.min(longestTerm, tokens.size() - i); n >= 1 && matched == 0; n--) {
                String phrase = String.join(" ", tokens.subList(i, i + n));
                List<String> facts = terms.get(phrase);
                if (facts != null) {
                    words.add(facts, "\"" + phrase + "\"");
                    matched = n;
                }
            }
            if (matched == 0) {
                compound(tokens.get(i), words);
            }
            i += Math.max(matched, 1);
        }
        Modality modality = procedure.modality != null ? procedure.modality
                : coded.modality != null ? coded.modality : words.modality;
        Set<String> all = new LinkedHashSet<>(procedure.regions);
        all.addAll(coded.regions);
        all.addAll(words.regions);
        Laterality side = procedure.laterality != Laterality.UNKNOWN ? procedure.laterality : words.laterality;
        Contrast contrast = procedure.contrast != Contrast.UNKNOWN ? procedure.contrast : words.contrast;
        List<String> evidence = new ArrayList<>(procedure.evidence);
        evidence.addAll(coded.evidence);
        evidence.addAll(words.evidence);
        return new CanonicalExam(modality, regions.mostSpecific(all), side, contrast, evidence);
    }

    /**
     * A Dutch compound of two known words ("schildklierscintigrafie" = schildklier + scintigrafie,
     * "longfoto" = long + foto): both parts count.
     */
    private void compound(String token, Facts words) {
        for (int split = 2; split <= token.length() - 2; split++) {
            List<String> head = terms.get(token.substring(0, split));
            List<String> tail = terms.get(token.substring(split));
            if (head != null && tail != null) {
                words.add(head, "\"" + token.substring(0, split) + "\" (in \"" + token + "\")");
                words.add(tail, "\"" + token.substring(split) + "\" (in \"" + token + "\")");
                return;
            }
        }
    }

    /** Lower case, accents removed, split at spaces and punctuation. */
    static List<String> tokens(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String folded = fold(text).replaceAll("[/\\-+,.():;_\\[\\]\"'&]", " ").trim();
        return folded.isEmpty() ? List.of() : List.of(folded.split("\\s+"));
    }

    private static String fold(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT).trim();
    }

    private static List<String> facts(String spec) {
        List<String> facts = new ArrayList<>();
        for (String fact : spec.split(";")) {
            if (!fact.isBlank()) {
                facts.add(fact.trim());
            }
        }
        return facts;
    }

    /** What one kind of evidence (procedure codes, other codes, words) says. */
    private final class Facts {
        Modality modality;
        final Set<String> regions = new LinkedHashSet<>();
        Laterality laterality = Laterality.UNKNOWN;
        Contrast contrast = Contrast.UNKNOWN;
        final List<String> evidence = new ArrayList<>();

        void add(List<String> facts, String source) {
            for (String fact : facts) {
                int eq = fact.indexOf('=');
                String kind = fact.substring(0, eq);
                String value = fact.substring(eq + 1);
                switch (kind) {
                    case "modality" -> {
                        if (modality == null) {
                            modality = Modality.of(value);
                        }
                    }
                    case "region" -> {
                        ExamNormaliser.this.regions.require(value);
                        regions.add(value);
                    }
                    case "laterality" -> laterality = laterality == Laterality.UNKNOWN || laterality == Laterality.valueOf(value)
                            ? Laterality.valueOf(value) : Laterality.BOTH;
                    case "contrast" -> contrast = Contrast.valueOf(value);
                    default -> throw new IllegalStateException("unknown fact " + fact);
                }
                evidence.add(source + " → " + fact);
            }
        }
    }
}
