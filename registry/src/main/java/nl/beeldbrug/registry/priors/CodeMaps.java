package nl.beeldbrug.registry.priors;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the versioned code maps under {@code nl/beeldbrug/registry/priors/} (tab-separated, {@code #} comments,
 * one header line). Each file names its version in a {@code # version …} comment.
 */
final class CodeMaps {

    private CodeMaps() {
    }

    /** The rows of a map (header skipped), each split at tabs. */
    static List<String[]> rows(String file) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = CodeMaps.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("code map missing from the class path: " + file);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            boolean header = true;
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (header && (line.startsWith("code\t") || line.startsWith("kind\t") || line.startsWith("system\t"))) {
                    header = false;
                    continue;
                }
                header = false;
                rows.add(line.split("\t", -1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** The version a map states in its {@code # version} comment. */
    static String version(String file) {
        try (InputStream in = CodeMaps.class.getResourceAsStream(file)) {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("# version ")) {
                    return line.substring("# version ".length()).trim();
                }
            }
            return "unversioned";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
