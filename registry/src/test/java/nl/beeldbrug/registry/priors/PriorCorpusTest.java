package nl.beeldbrug.registry.priors;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The labelled corpus ({@code priors/corpus.tsv}, built by {@code make_corpus.py} from hand-assigned ground truth and
 * the field's rules, not from this code) against the normaliser and ranker: precision and recall per label.
 * Issue 5 asks ≥ 0.95 precision and recall for "duplicate" and ≥ 0.90 for "relevant".
 */
class PriorCorpusTest {

    private static final Instant PLANNED = Instant.parse("2026-11-29T09:00:00Z");

    record Pair(String id, String planned, String plannedCodes, String prior, String priorCodes, int days, String label,
                String reasoning) {
    }

    @Test
    void precisionAndRecallPerLabel() throws IOException {
        List<Pair> corpus = corpus();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
        ExamNormaliser normaliser = ExamNormaliser.standard();
        PriorRanker ranker = new PriorRanker(normaliser.regions(), DuplicateWindows.defaults());
        Map<String, int[]> counts = new LinkedHashMap<>(); // label -> {true positive, predicted, actual}
        for (String label : List.of("duplicate", "relevant", "not-relevant")) {
            counts.put(label, new int[3]);
        }
        List<String> misses = new ArrayList<>();
        for (Pair pair : corpus) {
            CanonicalExam planned = normaliser.normalise(describe(pair.planned(), pair.plannedCodes()));
            CanonicalExam prior = normaliser.normalise(describe(pair.prior(), pair.priorCodes()));
            PriorRanker.Verdict verdict = ranker.judge(new PriorRanker.Planned(planned, PLANNED), prior,
                    PLANNED.minus(Duration.ofDays(pair.days())));
            String predicted = verdict.category().label();
            counts.get(predicted)[1]++;
            counts.get(pair.label())[2]++;
            if (predicted.equals(pair.label())) {
                counts.get(predicted)[0]++;
            } else {
                misses.add(pair.id() + " " + pair.planned() + " | " + pair.prior() + " (" + pair.days() + " d): expected "
                        + pair.label() + " (" + pair.reasoning() + "), got " + verdict.category() + " — " + verdict.reason());
            }
        }
        StringBuilder report = new StringBuilder("prior corpus: " + corpus.size() + " pairs, maps " + ExamNormaliser.mapVersions() + "\n");
        counts.forEach((label, c) -> report.append(String.format("  %-13s precision %.3f recall %.3f (tp %d, predicted %d, labelled %d)%n",
                label, precision(c), recall(c), c[0], c[1], c[2])));
        misses.forEach(m -> report.append("  miss: ").append(m).append('\n'));
        System.out.print(report);
        assertThat(precision(counts.get("duplicate"))).as(report.toString()).isGreaterThanOrEqualTo(0.95);
        assertThat(recall(counts.get("duplicate"))).as(report.toString()).isGreaterThanOrEqualTo(0.95);
        assertThat(precision(counts.get("relevant"))).as(report.toString()).isGreaterThanOrEqualTo(0.90);
        assertThat(recall(counts.get("relevant"))).as(report.toString()).isGreaterThanOrEqualTo(0.90);
    }

    private static double precision(int[] c) {
        return c[1] == 0 ? 0 : (double) c[0] / c[1];
    }

    private static double recall(int[] c) {
        return c[2] == 0 ? 0 : (double) c[0] / c[2];
    }

    static ExamDescription describe(String text, String codes) {
        List<ExamDescription.Code> coded = new ArrayList<>();
        if (!codes.isBlank()) {
            for (String code : codes.trim().split("\\s+")) {
                String[] parts = code.split("\\|");
                coded.add(new ExamDescription.Code(parts[0], parts[1]));
            }
        }
        return new ExamDescription(coded, text);
    }

    static List<Pair> corpus() throws IOException {
        List<Pair> pairs = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                PriorCorpusTest.class.getResourceAsStream("/priors/corpus.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("#") || line.startsWith("id\t") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                pairs.add(new Pair(f[0], f[1], f[2], f[3], f[4], Integer.parseInt(f[5]), f[6], f[7]));
            }
        }
        return pairs;
    }
}
