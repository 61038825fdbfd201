package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;

/**
 * {@code load}: bulk-loads the benchmark corpus into the registry tables with COPY. Refuses a
 * database that already holds registry data other than this very corpus; a second run with the
 * same parameters finds the corpus marker and does nothing.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Bulk-load a deterministic XDS-I corpus (KOS + report per study) into the registry with COPY.")
public final class BulkLoadCommand implements Callable<Integer> {

    @Option(names = "--data-dir", description = "Embedded PostgreSQL data directory (as the gateway's beeldbrug.db.embedded-data-dir).")
    Path dataDir;

    @Option(names = "--jdbc-url", description = "An external PostgreSQL instead, e.g. jdbc:postgresql://127.0.0.1:5432/postgres.")
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "postgres")
    String user;

    @Option(names = "--password", defaultValue = "")
    String password;

    @Option(names = "--studies", defaultValue = "500000", description = "Studies; each is 2 DocumentEntries (default: ${DEFAULT-VALUE}).")
    int studies;

    @Option(names = "--patients", description = "Patients (default: studies / 5).")
    Integer patients;

    @Option(names = "--seed", defaultValue = "20261129")
    long seed;

    @Option(names = "--now", defaultValue = "2026-11-01T00:00:00Z", description = "Reference time; studies lie in the 5 years before it.")
    ZonedDateTime now;

    @Option(names = "--repository-unique-id", defaultValue = "2.16.528.1.1007.3.3.99999999.1.1",
            description = "The gateway's beeldbrug.xds.repository-unique-id (reports are stored there).")
    String repositoryUniqueId;

    @Option(names = "--lean", description = "National-scale layout: one SubmissionSet per patient, KOS manifests for every study,"
            + " a report for one study in --report-every (default: the full layout, manifest + report each in its own set).")
    boolean lean;

    @Option(names = "--report-every", description = "With --lean: one study in N has its report registered (default: 10;"
            + " with --national 1, the corpus itself gives 85 % of studies a report).")
    Integer reportEvery;

    @Option(names = "--national", description = "Load the national corpus (NationalCorpus: 230 sites, Dutch exam mix, 10 years,"
            + " consents) instead of the small benchmark corpus; --studies/--patients/--seed/--now as for `generate`.")
    boolean national;

    @Option(names = "--corpus", description = "Load the national corpus a `generate --out DIR` describes (DIR/corpus.properties);"
            + " implies --national and overrides --studies/--patients/--seed/--now.")
    Path corpusDir;

    @Option(names = "--threads", description = "Generator threads (default: available processors).")
    Integer threads;

    @Option(names = "--summary", description = "Write the load's figures (key=value) to this file after a successful load.")
    Path summary;

    @Override
    public Integer call() throws Exception {
        if ((dataDir == null) == (jdbcUrl == null)) {
            System.err.println("give exactly one of --data-dir or --jdbc-url");
            return 2;
        }
        StudyCorpus corpus;
        if (corpusDir != null) {
            corpus = nl.beeldbrug.bench.generate.CorpusProperties.corpus(corpusDir);
        } else if (national) {
            corpus = NationalCorpus.of(seed, patients != null ? patients : Math.max(1, studies / 5), studies, now);
        } else {
            corpus = new Corpus(seed, studies, patients != null ? patients : Math.max(1, studies / 5), now);
        }
        int generatorThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        EmbeddedDatabase embedded = dataDir != null ? EmbeddedDatabase.start(dataDir.toAbsolutePath()) : null;
        try {
            Connector db = embedded != null
                    ? new Connector(embedded.dataSource(), embedded.jdbcUrl(), embedded.user(), "")
                    : new Connector(null, jdbcUrl, user, password);
            return load(db, corpus, generatorThreads);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Opens connections to the target database. */
    record Connector(DataSource embedded, String url, String user, String password) {
        Connection open() throws SQLException {
            return embedded != null ? embedded.getConnection() : DriverManager.getConnection(url, user, password);
        }

        DataSource dataSource() {
            if (embedded != null) {
                return embedded;
            }
            PGSimpleDataSource external = new PGSimpleDataSource();
            external.setURL(url);
            external.setUser(user);
            external.setPassword(password);
            return external;
        }
    }

    private int load(Connector db, StudyCorpus corpus, int generatorThreads) throws Exception {
        int migrations = Database.migrate(db.dataSource());
        System.out.printf("Schema ready (%d migration(s) applied)%n", migrations);
        int every = reportEvery != null ? reportEvery : corpus instanceof NationalCorpus ? 1 : 10;
        Layout layout = lean ? Layout.lean(every) : Layout.full();
        Layout.Rows rows = layout.rows(corpus);
        CorpusMarker marker = new CorpusMarker(corpus, CorpusCopy.rowFormat(corpus, new Registration(repositoryUniqueId), layout));
        try (Connection c = db.open()) {
            CorpusMarker.State state = marker.check(c);
            switch (state) {
                case LOADED -> {
                    System.out.printf("Corpus already loaded (seed %d, %,d studies, %,d patients): nothing to do.%n",
                            corpus.seed(), corpus.studies(), corpus.patients());
                    printSize(c);
                    return 0;
                }
                case OTHER_DATA -> {
                    System.err.println("Refusing to load: the registry already holds other data ("
                            + marker.describe(c) + "). Use an empty data directory or database; a corpus loaded"
                            + " before the registry changed the columns it writes must be loaded again.");
                    return 3;
                }
                case EMPTY -> {
                }
            }
        }
        System.out.printf("Loading %,d studies (%s layout) = %,d DocumentEntries + %,d SubmissionSets + %,d HasMember associations"
                        + " + %,d report documents, %,d patients, seed %d, %d generator thread(s)%n",
                corpus.studies(), layout.describe(), rows.documentEntries(), rows.submissionSets(), rows.associations(),
                rows.contents(), corpus.patients(), corpus.seed(), generatorThreads);

        long start = System.nanoTime();
        boolean walRaised = raiseMaxWalSize(db);
        try {
            new CorpusCopy(db, corpus, new Registration(repositoryUniqueId), layout, generatorThreads).run();
        } finally {
            if (walRaised) {
                resetMaxWalSize(db);
            }
        }
        long consents = 0;
        if (corpus instanceof NationalCorpus nationalCorpus) {
            long consentStart = System.nanoTime();
            try (Connection c = db.open()) {
                consents = ConsentCopy.run(c, nationalCorpus);
            }
            System.out.printf("  consents: %,d in %s%n", consents, Progress.format(Duration.ofNanos(System.nanoTime() - consentStart)));
        }
        long loaded = System.nanoTime();
        System.out.println("ANALYZE ...");
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("analyze consent");
            s.execute("analyze consent_provision");
            s.execute("analyze patient");
            s.execute("analyze registry_object");
            s.execute("analyze association");
            s.execute("analyze document_content");
        }
        long analyzed = System.nanoTime();
        try (Connection c = db.open()) {
            marker.record(c, Duration.ofNanos(analyzed - start), rows.documentEntries());
        }
        Duration total = Duration.ofNanos(analyzed - start);
        System.out.printf("Loaded %,d DocumentEntries (%,d registry objects, %,d associations) in %s (COPY + indexes %s,"
                        + " ANALYZE %s): %,.0f DocumentEntries/s%n",
                rows.documentEntries(), rows.documentEntries() + rows.submissionSets(), rows.associations(), Progress.format(total),
                Progress.format(Duration.ofNanos(loaded - start)), Progress.format(Duration.ofNanos(analyzed - loaded)),
                rows.documentEntries() / (total.toNanos() / 1e9));
        new LoadCheck(db.dataSource(), corpus, new Registration(repositoryUniqueId), layout).run();
        String size;
        try (Connection c = db.open()) {
            size = printSize(c);
            System.out.printf("Bytes per study: %,d%n", databaseBytes(c) / corpus.studies());
        }
        if (summary != null) {
            java.nio.file.Files.writeString(summary, String.join("\n",
                    "loaded_at=" + java.time.Instant.now(),
                    "corpus=" + corpus.kind(),
                    "consents=" + consents,
                    "studies=" + corpus.studies(),
                    "patients=" + corpus.patients(),
                    "layout=" + layout.describe(),
                    "document_entries=" + rows.documentEntries(),
                    "submission_sets=" + rows.submissionSets(),
                    "report_documents=" + rows.contents(),
                    "seed=" + corpus.seed(),
                    "generator_threads=" + generatorThreads,
                    "load_seconds=" + String.format(java.util.Locale.ROOT, "%.1f", total.toMillis() / 1000.0),
                    "copy_and_index_seconds=" + String.format(java.util.Locale.ROOT, "%.1f", (loaded - start) / 1e9),
                    "analyze_seconds=" + String.format(java.util.Locale.ROOT, "%.1f", (analyzed - loaded) / 1e9),
                    "document_entries_per_second=" + Math.round(rows.documentEntries() / (total.toNanos() / 1e9)),
                    "studies_per_second=" + Math.round(corpus.studies() / (total.toNanos() / 1e9)),
                    "database_size=" + size) + "\n");
        }
        return 0;
    }

    private static long databaseBytes(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String printSize(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select pg_database_size(current_database()), pg_size_pretty(pg_database_size(current_database()))");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            System.out.printf("Database size: %s (%,d bytes)%n", rs.getString(2), rs.getLong(1));
            return rs.getString(2) + " (" + rs.getLong(1) + " bytes)";
        }
    }

    /**
     * Fewer checkpoints during the load (PostgreSQL's default max_wal_size is 1GB). Reset afterwards
     * so that the gateway later runs with the server's normal configuration.
     */
    private static boolean raiseMaxWalSize(Connector db) {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("alter system set max_wal_size = '8GB'");
            s.execute("select pg_reload_conf()");
            return true;
        } catch (SQLException e) {
            System.out.println("(max_wal_size left as it is: " + e.getMessage() + ")");
            return false;
        }
    }

    private static void resetMaxWalSize(Connector db) {
        try (Connection c = db.open(); Statement s = c.createStatement()) {
            s.execute("alter system reset max_wal_size");
            s.execute("select pg_reload_conf()");
        } catch (SQLException e) {
            System.err.println("Could not reset max_wal_size: " + e.getMessage());
        }
    }
}
