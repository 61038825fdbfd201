package nl.beeldbrug.bench.ingest;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ingest-check}: after a crash, compares the sender's journal with the database. Every study the
 * gateway acknowledged must be there whole (its submission set, its DocumentEntries and their document
 * bytes); every study sent but not acknowledged must be there whole or not at all. Prints and writes
 * key=value counts; exit 1 when a study is lost or half-stored.
 */
@Command(name = "ingest-check", mixinStandardHelpOptions = true,
        description = "Checks a register journal against the database: no acknowledged study lost, none half-stored.")
public final class IngestCheckCommand implements Callable<Integer> {

    @Option(names = "--journal", required = true)
    Path journalFile;

    @Option(names = "--pg-data-dir", required = true, description = "The data directory of the (running) PostgreSQL.")
    Path pgDataDir;

    @Option(names = "--summary", description = "Write the key=value result here.")
    Path summaryFile;

    /** A study as the journal names it, and whether it was acknowledged. */
    record Sent(String set, String manifest, String report) {
        List<String> objects() {
            return "-".equals(report) ? List.of(set, manifest) : List.of(set, manifest, report);
        }

        List<String> documents() {
            return "-".equals(report) ? List.of(manifest) : List.of(manifest, report);
        }
    }

    /** The studies sent (in order) with whether each was acknowledged at least once. */
    static Map<Sent, Boolean> read(List<String> lines) {
        Map<Sent, Boolean> studies = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length != 6) {
                continue; // a torn last line
            }
            Sent s = new Sent(f[3], f[4], f[5]);
            switch (f[0]) {
                case "S" -> studies.putIfAbsent(s, false);
                case "A" -> studies.put(s, true);
                default -> studies.putIfAbsent(s, false);
            }
        }
        return studies;
    }

    /** Outcome of the comparison. */
    record Result(long acknowledged, long lost, long unacknowledged, long unacknowledgedStored, long unacknowledgedAbsent,
                  long halfStored) {
    }

    /** Judges the studies given which uniqueIds are registered and which documents are stored. */
    static Result judge(Map<Sent, Boolean> studies, Set<String> registered, Set<String> stored) {
        long acked = 0, lost = 0, unacked = 0, present = 0, absent = 0, half = 0;
        for (Map.Entry<Sent, Boolean> e : studies.entrySet()) {
            Sent s = e.getKey();
            int have = 0, want = 0;
            for (String id : s.objects()) {
                want++;
                have += registered.contains(id) ? 1 : 0;
            }
            for (String id : s.documents()) {
                want++;
                have += stored.contains(id) ? 1 : 0;
            }
            boolean whole = have == want;
            boolean none = have == 0;
            if (e.getValue()) {
                acked++;
                if (!whole) {
                    lost++;
                }
            } else {
                unacked++;
                if (whole) {
                    present++;
                } else if (none) {
                    absent++;
                } else {
                    half++;
                }
            }
            if (!whole && !none) {
                half += e.getValue() ? 1 : 0; // an acknowledged study partly there is lost and half-stored
            }
        }
        return new Result(acked, lost, unacked, present, absent, half);
    }

    @Override
    public Integer call() throws Exception {
        Map<Sent, Boolean> studies = read(Files.readAllLines(journalFile, StandardCharsets.UTF_8));
        List<String> objectIds = new ArrayList<>();
        List<String> documentIds = new ArrayList<>();
        studies.keySet().forEach(s -> {
            objectIds.addAll(s.objects());
            documentIds.addAll(s.documents());
        });
        Set<String> registered;
        Set<String> stored;
        try (Connection c = PostgresOfDataDir.connect(pgDataDir)) {
            registered = present(c, "select unique_id from registry_object where unique_id = any(?)", objectIds);
            stored = present(c, "select document_unique_id from document_content where document_unique_id = any(?)", documentIds);
        }
        Result r = judge(studies, registered, stored);
        String text = "studies_sent=" + studies.size() + "\nacknowledged=" + r.acknowledged() + "\nlost=" + r.lost()
                + "\nunacknowledged=" + r.unacknowledged() + "\nunacknowledged_stored=" + r.unacknowledgedStored()
                + "\nunacknowledged_absent=" + r.unacknowledgedAbsent() + "\nhalf_stored=" + r.halfStored() + "\n";
        System.out.print(text);
        if (summaryFile != null) {
            Files.writeString(summaryFile, text, StandardCharsets.UTF_8);
        }
        return r.lost() == 0 && r.halfStored() == 0 ? 0 : 1;
    }

    private static Set<String> present(Connection c, String sql, List<String> ids) throws Exception {
        Set<String> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i += 5_000) {
                List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 5_000));
                ps.setArray(1, c.createArrayOf("varchar", chunk.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }
}
