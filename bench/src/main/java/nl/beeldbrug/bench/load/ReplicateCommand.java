package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import org.postgresql.PGConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.sql.DataSource;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code replicate}: grows a lean corpus that {@code load --lean} wrote into {@code --copies} times its
 * size ({@link Replicas}), inside PostgreSQL: secondary indexes dropped, one INSERT … SELECT per copy and
 * table, indexes rebuilt, ANALYZE, row counts checked. A failed run leaves a database to throw away.
 */
@Command(name = "replicate", mixinStandardHelpOptions = true,
        description = "Grow a loaded lean corpus N-fold under other patients (national-scale volume in minutes, not hours).")
public final class ReplicateCommand implements Callable<Integer> {

    @Option(names = "--data-dir", required = true, description = "Embedded PostgreSQL data directory holding the base corpus.")
    Path dataDir;

    @Option(names = "--base-studies", description = "Studies of the base (required unless --corpus).")
    Integer baseStudies;

    @Option(names = "--corpus", description = "The base is the national corpus `generate --out DIR` describes, loaded with"
            + " `load --corpus DIR --lean` (its consents are not copied: the copies' patients have none). The load generators'"
            + " --corpus DIR then draw from the base patients, whose answers replication does not change.")
    Path corpusDir;

    @Option(names = "--base-patients", description = "Default: base studies / 5.")
    Integer basePatients;

    @Option(names = "--report-every", description = "As the base load's (default: 10; with --corpus 1).")
    Integer reportEvery;

    @Option(names = "--copies", required = true, description = "Total size as a multiple of the base (2 or more).")
    int copies;

    @Option(names = "--seed", defaultValue = "20261129")
    long seed;

    @Option(names = "--now", defaultValue = "2026-11-01T00:00:00Z")
    ZonedDateTime now;

    @Option(names = "--threads", defaultValue = "2", description = "Concurrent statements (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--summary", description = "Write the figures (key=value) to this file afterwards.")
    Path summary;

    private static final List<String> TABLES = List.of("patient", "registry_object", "association", "document_content");

    @Override
    public Integer call() throws Exception {
        if (corpusDir == null && baseStudies == null) {
            System.err.println("give --base-studies or --corpus");
            return 2;
        }
        StudyCorpus base = corpusDir != null ? nl.beeldbrug.bench.generate.CorpusProperties.corpus(corpusDir)
                : new Corpus(seed, baseStudies, basePatients != null ? basePatients : Math.max(1, baseStudies / 5), now);
        baseStudies = base.studies();
        Corpus whole = new Corpus(base.seed(), base.studies() * copies, base.patients() * copies, base.now());
        Layout layout = Layout.lean(reportEvery != null ? reportEvery : corpusDir != null ? 1 : 10);
        Registration registration = new Registration("2.16.528.1.1007.3.3.99999999.1.1");
        String baseFormat = CorpusCopy.rowFormat(base, registration, layout);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.toAbsolutePath())) {
            DataSource ds = db.dataSource();
            CorpusMarker wholeMarker = new CorpusMarker(whole, baseFormat + " x" + copies);
            try (Connection c = ds.getConnection()) {
                if (wholeMarker.check(c) == CorpusMarker.State.LOADED) {
                    System.out.printf("Replicated corpus already there (%,d studies): nothing to do.%n", whole.studies());
                    return 0;
                }
                if (new CorpusMarker(base, baseFormat).check(c) != CorpusMarker.State.LOADED) {
                    System.err.println("the data directory does not hold the lean base corpus of " + baseStudies + " studies");
                    return 3;
                }
            }
            long start = System.nanoTime();
            run(ds, base, whole);
            try (Connection c = ds.getConnection()) {
                wholeMarker.record(c, Duration.ofNanos(System.nanoTime() - start), layout.rows(base).documentEntries() * copies);
            }
            report(ds, base, whole, layout, start);
        }
        return 0;
    }

    void run(DataSource ds, StudyCorpus base, Corpus whole) throws Exception {
        List<String> dropped = new ArrayList<>();
        List<String> inserts = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("create schema if not exists bench_corpus");
            s.execute(Replicas.MAPPING_TABLE);
            s.execute("truncate bench_corpus.replica_patient");
            var bsns = Corpus.bsns(whole.patients());
            for (int k = 1; k < copies; k++) {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_corpus.replica_patient FROM STDIN",
                        new StringReader(Replicas.mapping(base, copies, bsns, k)));
            }
            s.execute("analyze bench_corpus.replica_patient");
            for (String table : TABLES) {
                inserts.add(Replicas.insert(c, table, base));
                try (PreparedStatement ps = c.prepareStatement("select i.indexname, i.indexdef from pg_indexes i"
                        + " where i.schemaname = 'public' and i.tablename = ?"
                        + " and not exists (select 1 from pg_constraint k where k.conname = i.indexname)")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            s.execute("drop index public." + rs.getString(1));
                            dropped.add(rs.getString(2));
                        }
                    }
                }
            }
        }
        System.out.printf("Mapping of %,d patients written; %d secondary indexes dropped; %d copies x %d tables to insert%n",
                base.patients() * (copies - 1L), dropped.size(), copies - 1, TABLES.size());
        List<Step> steps = new ArrayList<>();
        // the largest first, so that the two connections stay busy
        int association = TABLES.indexOf("association");
        steps.add(new Step("copies 1.." + (copies - 1) + " association", inserts.get(association), copies - 1));
        for (int k = 1; k < copies; k++) {
            for (int t = 0; t < TABLES.size(); t++) {
                if (t != association) {
                    steps.add(new Step("copy " + k + " " + TABLES.get(t), inserts.get(t), k));
                }
            }
        }
        runAll(ds, steps, "set synchronous_commit = off");
        List<Step> indexes = dropped.stream().map(ddl -> new Step(ddl, ddl, null)).toList();
        runAll(ds, indexes, "set maintenance_work_mem = '1GB'");
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop table bench_corpus.replica_patient");
            for (String table : TABLES) {
                s.execute("analyze " + table);
            }
        }
    }

    private record Step(String name, String sql, Integer k) {
    }

    private void runAll(DataSource ds, List<Step> steps, String setup) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Step step : steps) {
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.execute(setup);
                        try (PreparedStatement ps = c.prepareStatement(step.sql())) {
                            if (step.k() != null) {
                                ps.setInt(1, step.k());
                            }
                            int rows = ps.executeUpdate();
                            System.out.printf("  %s: %,d rows, %s%n", step.name().length() > 90 ? step.name().substring(0, 90) + "…"
                                    : step.name(), rows, Progress.format(Duration.ofNanos(System.nanoTime() - t0)));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void report(DataSource ds, StudyCorpus base, Corpus whole, Layout layout, long start) throws Exception {
        Layout.Rows one = layout.rows(base);
        Layout.Rows rows = new Layout.Rows(one.patients() * copies, one.documentEntries() * copies,
                one.submissionSets() * copies, one.associations() * copies, one.contents() * copies);
        ReplicaCheck.run(ds, base, copies, rows);
        double seconds = (System.nanoTime() - start) / 1e9;
        long bytes;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_database_size(current_database())")) {
            rs.next();
            bytes = rs.getLong(1);
        }
        System.out.printf("Replicated to %,d studies (%,d DocumentEntries) in %.0f s; database %,d MB, %,d bytes per study%n",
                whole.studies(), rows.documentEntries(), seconds, bytes >> 20, bytes / whole.studies());
        if (summary != null) {
            Files.writeString(summary, String.join("\n",
                    "loaded_at=" + java.time.Instant.now(),
                    "studies=" + whole.studies(),
                    "patients=" + whole.patients(),
                    "layout=" + layout.describe() + ", " + copies + " copies of a " + base.studies() + "-study base",
                    "document_entries=" + rows.documentEntries(),
                    "submission_sets=" + rows.submissionSets(),
                    "report_documents=" + rows.contents(),
                    "seed=" + seed,
                    "replicate_seconds=" + String.format(Locale.ROOT, "%.1f", seconds),
                    "database_size=" + (bytes >> 20) + " MB (" + bytes + " bytes)",
                    "bytes_per_study=" + bytes / whole.studies()) + "\n");
        }
    }
}
