package nl.beeldbrug.bench.generate;

import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.corpus.national.Sites;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code DIR/corpus.properties}: what a generated corpus directory holds (key=value lines, fixed order, no
 * timestamp), so that a re-run can check it continues the same corpus and the load generators can rebuild the
 * {@link NationalCorpus} from the directory alone.
 */
public final class CorpusProperties {

    public static final String FILE = "corpus.properties";

    private CorpusProperties() {
    }

    static Map<String, String> of(NationalCorpus corpus, int chunkPatients) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("generator", "beeldbrug-bench national corpus");
        p.put("version", NationalCorpus.VERSION);
        p.put("seed", Long.toString(corpus.seed()));
        p.put("patients", Integer.toString(corpus.patients()));
        p.put("studies", Integer.toString(corpus.studies()));
        p.put("now", corpus.now().toString());
        p.put("years", Integer.toString(corpus.years()));
        p.put("report_share", Double.toString(corpus.reportShare()));
        p.put("sites", Integer.toString(Sites.ALL.size()));
        p.put("hospitals", Integer.toString(Sites.HOSPITALS.size()));
        p.put("zdcs", Integer.toString(Sites.ZDCS.size()));
        p.put("chunk_patients", Integer.toString(chunkPatients));
        return p;
    }

    static String text(Map<String, String> properties) {
        StringBuilder b = new StringBuilder();
        properties.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
        return b.toString();
    }

    static Map<String, String> read(Path file) throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0 && !line.startsWith("#")) {
                p.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return p;
    }

    /** The corpus a generated directory holds (from its {@code corpus.properties}). */
    public static NationalCorpus corpus(Path dir) throws IOException {
        Map<String, String> p = read(dir.resolve(FILE));
        if (!NationalCorpus.VERSION.equals(p.get("version"))) {
            throw new IllegalArgumentException(dir + ": corpus version " + p.get("version") + ", this generator makes "
                    + NationalCorpus.VERSION);
        }
        return new NationalCorpus(Long.parseLong(p.get("seed")), Integer.parseInt(p.get("patients")),
                Integer.parseInt(p.get("studies")), ZonedDateTime.parse(p.get("now")), Integer.parseInt(p.get("years")),
                Double.parseDouble(p.get("report_share")));
    }
}
