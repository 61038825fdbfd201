package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.gateway.cds.CdsCardsOracle;
import nl.beeldbrug.gateway.cds.CdsProperties;
import nl.beeldbrug.gateway.fhir.FhirProperties;
import nl.beeldbrug.gateway.priors.PriorCheckOracle;
import nl.beeldbrug.gateway.priors.PriorsProperties;
import nl.beeldbrug.gateway.qr.QueryRetrieveScp;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.demo.DemoDataLoader;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6, acceptance 1: a randomized property test that no release point lets out what the consent decision
 * withholds. A fresh gateway on loopback (tokens on, a test-made JWKS file: every request carries its own requester
 * — organisation URA of several types, purpose TREAT/COC/HRESCH/AI, UZI role) holds synthetic studies (a KOS
 * manifest and a report each) of several data holders (hospitals, ZDCs). In each round every patient's consents
 * are rewritten at random ({@link RandomConsents}: permits and denies by URA or type, purpose, period around now,
 * data class, specific studies, inactive, revoked); then each case sends one real protocol request for a random
 * requester and patient to a random release point and compares the answer with the {@link LeakOracle} — the pure
 * {@code ConsentDecisionEngine} over the generated consents: exact sets of study UIDs / document ids, equal
 * {@code Bundle.total} and {@code _summary=count}, paging through next links, and a denied read answered exactly
 * like a read of an id that never existed (status and OperationOutcome; ITI-43: status and error list).
 * <p>
 * Release points covered (enforced on main): {@link #COVERED}; WADO-RS and RAD-69 fetch from a real Orthanc
 * ({@link LeakArchive}) holding one small instance per study, over DICOMweb and over DIMSE; the DICOM Q/R SCP's
 * C-FIND (STUDY level) and C-GET ({@link QrReleasePoints}, one calling AE per requester). Not covered: C-MOVE.
 * {@code -Dconsent.points=fhir,mhd} (name prefixes) or {@code all} selects what
 * runs. Cases are spread over the release points by their {@link ReleasePoint#weight()} (the archive paths, CDS and Q/R get
 * half a share); the summary prints the cases per release point.
 * <p>
 * {@code -Dconsent.seed} (printed; repeat a failing run with it), {@code -Dconsent.cases} (default 100,000),
 * {@code -Dconsent.rounds} (10), {@code -Dconsent.threads} (4), {@code -Dconsent.studies} (240, a quarter as many
 * patients).
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.fhir.max-page-size=50",
        "beeldbrug.security.tokens.enabled=true",
        "beeldbrug.security.tokens.audiences[0]=" + TestIssuer.AUDIENCE,
        "logging.level.nl.beeldbrug=WARN",
        "logging.level.org.apache.cxf=WARN"})
class ConsentLeakPropertyIT {

    /**
     * The release points whose consent enforcement is on main (name prefixes); the property is asserted for these:
     * FHIR ImagingStudy search (plain, modality, {@code _include=ImagingStudy:patient}, paged, {@code _summary=count},
     * {@code _revinclude=DocumentReference:related}) and read, Patient read and {@code $timeline}, MHD ITI-67
     * DocumentReference search and read, MHD ITI-68 Binary; XDS ITI-18 FindDocuments (LeafClass, ObjectRef) and
     * GetDocuments, ITI-43; MHD ITI-66 List search and read; WADO-RS (study, series, instance, metadata) and RAD-69;
     * {@code ImagingStudy/$prior-check}; CDS Hooks order-select and order-sign; DICOM Q/R C-FIND STUDY and C-GET.
     */
    static final List<String> COVERED = List.of("fhir ", "mhd ", "xds ", "wado ", "prior ", "cds ", "qr ");

    private static final TestIssuer ISSUER = TestIssuer.create();
    private static final List<String> UZI_ROLES = List.of("01.015", "01.018", "30.000");
    private static final int MAX_REPORTED = 25;
    private static LeakArchive archive;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-consent-leak-postgres");
        // one property source per list: Spring binds an indexed list from a single source
        registry.add("beeldbrug.security.tokens.issuers[0].id", () -> TestIssuer.ISSUER);
        registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", () -> ISSUER.jwksFile().toString());
        LeakWorld.directoryProperties().forEach((key, value) -> registry.add(key, () -> value));
        try {
            archive = new LeakArchive(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "leak-archive"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        archive.register(registry);
        QrReleasePoints.register(registry, Peers.freePort());
    }

    @AfterAll
    static void stopArchive() {
        if (archive != null) {
            archive.close();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patientIndex;
    @Autowired
    DocumentRegistryService registry;
    @Autowired
    DocumentRepositoryService repository;
    @Autowired
    XdsStore xdsStore;
    @Autowired
    ConsentStore consentStore;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ImagingStudyIndex studyIndex;
    @Autowired
    PriorsProperties priorsProperties;
    @Autowired
    CdsProperties cdsProperties;
    @Autowired
    FhirProperties fhirProperties;
    @Autowired
    QueryRetrieveScp qrScp;

    @Test
    void noReleasePointLetsOutWhatTheConsentWithholds() throws Exception {
        long seed = Long.getLong("consent.seed", new Random().nextLong() & 0xffffffffffffL);
        int cases = Integer.getInteger("consent.cases", 100_000);
        int rounds = Integer.getInteger("consent.rounds", 10);
        int threads = Integer.getInteger("consent.threads", 4);
        int studyCount = Integer.getInteger("consent.studies", 240);
        String only = System.getProperty("consent.points", "");
        System.out.printf("ConsentLeakPropertyIT: -Dconsent.seed=%d -Dconsent.cases=%d -Dconsent.rounds=%d%n", seed, cases, rounds);
        long started = System.nanoTime();

        LeakWorld world = load(studyCount, seed);
        archive.load(world.studies);
        List<LeakWorld.Requester> requesters = requesters(world);
        List<ReleasePoint> points = new ArrayList<>();
        points.addAll(new FhirReleasePoints("http://127.0.0.1:" + port + "/fhir", world).all());
        points.addAll(new XdsReleasePoints(producer, "127.0.0.1:" + port, repository.repositoryUniqueId()).all());
        points.addAll(new ArchiveReleasePoints("127.0.0.1:" + port, producer, archive).all());
        points.addAll(new PriorReleasePoints("http://127.0.0.1:" + port, studyIndex,
                new PriorCheckOracle(studyIndex, priorsProperties.maxStudies()),
                new CdsCardsOracle(cdsProperties.fhirBaseUrl(), fhirProperties.wadoBaseUrl(), priorsProperties.cardPriors())).all());
        points.addAll(new QrReleasePoints(qrScp.port()).all());
        List<String> selected = only.isEmpty() ? COVERED : "all".equals(only) ? List.of("") : List.of(only.split(","));
        points.removeIf(p -> selected.stream().noneMatch(p.name()::startsWith));
        assertThat(points).as("release points to drive").isNotEmpty();
        int[] upTo = new int[points.size()]; // cumulative weights: a case picks the first point whose bound exceeds its draw
        for (int p = 0, sum = 0; p < points.size(); p++) {
            upTo[p] = sum += points.get(p).weight();
        }

        RandomConsents generator = new RandomConsents(world);
        Map<Bsn, List<ConsentRecord>> consents = new HashMap<>();
        Tally tally = new Tally();
        List<String> leaks = Collections.synchronizedList(new ArrayList<>());
        AtomicLong leakCount = new AtomicLong();
        AtomicLong ran = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long casesStarted = System.nanoTime();
        long casesCpu = cpuTime();
        try {
            for (int round = 0; round < rounds; round++) {
                Instant now = Instant.now();
                rewriteConsents(world, generator, consents, new Random(seed * 31 + round), now);
                LeakOracle oracle = new LeakOracle(world, consents, now);
                int first = (int) ((long) cases * round / rounds);
                int last = (int) ((long) cases * (round + 1) / rounds);
                int r = round;
                List<Callable<Void>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    workers.add(() -> {
                        for (int i = first + offset; i < last; i += threads) {
                            Random random = new Random(seed * 1_000_003L + i);
                            LeakWorld.Requester requester = requesters.get(random.nextInt(requesters.size()));
                            Bsn patient = world.patients.get(random.nextInt(world.patients.size()));
                            ReleasePoint point = points.get(pick(upTo, random.nextInt(upTo[upTo.length - 1])));
                            String leak;
                            long caseStarted = System.nanoTime();
                            try {
                                leak = point.check(new ReleasePoint.Case(requester, patient, oracle, random, tally));
                            } catch (Exception | AssertionError e) {
                                leak = "failed: " + e;
                            }
                            ran.incrementAndGet();
                            tally.add(point.name(), 1);
                            tally.add(point.name() + " µs", (System.nanoTime() - caseStarted) / 1000);
                            if (leak != null) {
                                leakCount.incrementAndGet();
                                tally.add(point.name() + " LEAKS", 1);
                                if (leaks.size() < MAX_REPORTED) {
                                    leaks.add("round " + r + " case " + i + " " + point.name() + " requester " + requester + ": " + leak);
                                }
                            }
                        }
                        return null;
                    });
                }
                for (Future<Void> done : pool.invokeAll(workers)) {
                    done.get();
                }
            }
        } finally {
            pool.shutdownNow();
        }

        long seconds = Duration.ofNanos(System.nanoTime() - casesStarted).toSeconds();
        long cpuSeconds = Duration.ofNanos(cpuTime() - casesCpu).toSeconds();
        System.out.printf("ConsentLeakPropertyIT: seed %d, %d cases in %d rounds over %d patients / %d studies, %d leaks;"
                        + " cases took %d s (JVM CPU %d s, PostgreSQL not counted), setup %d s%n",
                seed, ran.get(), rounds, world.patients.size(), world.studies.size(), leakCount.get(), seconds, cpuSeconds,
                Duration.ofNanos(casesStarted - started).toSeconds());
        System.out.println("  cases per release point (mean wall time per case), then the oracle's verdicts on the items they saw:");
        for (ReleasePoint point : points) {
            long n = tally.get(point.name());
            System.out.printf("  %-55s %8d cases %8.1f ms%n", point.name(), n, n == 0 ? 0.0 : tally.get(point.name() + " µs") / 1000.0 / n);
        }
        tally.snapshot().forEach((name, n) -> {
            if (name.endsWith(" permitted") || name.endsWith(" denied") || name.endsWith(" LEAKS")) {
                System.out.printf("  %-55s %8d%n", name, n);
            }
        });
        leaks.forEach(l -> System.out.println("  LEAK " + l));

        assertThat(leaks).as("leaks (seed %d; repeat with -Dconsent.seed=%d)", seed, seed).isEmpty();
        assertThat(ran.get()).isEqualTo(cases);
        assertThat(cases).as("cases (-Dconsent.cases)").isGreaterThanOrEqualTo(Integer.getInteger("consent.minimum", 100_000));
        for (ReleasePoint point : points) {
            assertThat(tally.get(point.name() + " permitted")).as("%s saw permitted items", point.name()).isPositive();
            assertThat(tally.get(point.name() + " denied")).as("%s saw denied items", point.name()).isPositive();
        }
    }

    private static int pick(int[] upTo, int draw) {
        int p = 0;
        while (upTo[p] <= draw) {
            p++;
        }
        return p;
    }

    private static long cpuTime() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** Loads the synthetic studies through the registry services and describes them from the generator itself. */
    private LeakWorld load(int studyCount, long seed) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        new DemoDataLoader(dataSource, patientIndex, registry, repository, xdsStore).load(studyCount, seed, now);
        int patientCount = Math.max(1, Math.min(800, studyCount / 4)); // as DemoDataLoader
        List<Bsn> patients = SyntheticStudies.patients(patientCount);
        Map<String, String> entryUuids = entryUuids();
        Map<String, String> submissionSets = submissionSets();
        List<LeakWorld.Study> studies = new ArrayList<>();
        for (SyntheticStudies.Study s : SyntheticStudies.studies(studyCount, patients, seed, now)) {
            String uid = s.manifest().getReferenceIdList().get(0).getId();
            studies.add(new LeakWorld.Study(uid, s.patient(), nl.beeldbrug.registry.consent.Ura.of(s.site().ura()),
                    LeakWorld.typeOf(s.site()), s.manifest().getEventCodeList().get(0).getCode(),
                    document(entryUuids, submissionSets, s.manifest().getUniqueId(), false),
                    document(entryUuids, submissionSets, s.report().getUniqueId(), true)));
        }
        return new LeakWorld(patients, studies);
    }

    private static LeakWorld.Document document(Map<String, String> entryUuids, Map<String, String> submissionSets,
                                               String uniqueId, boolean report) {
        String entryUuid = entryUuids.get(uniqueId);
        assertThat(entryUuid).as("registered document %s", uniqueId).isNotNull();
        assertThat(submissionSets.get(entryUuid)).as("submission set of %s", uniqueId).isNotNull();
        return new LeakWorld.Document(entryUuid, uniqueId, report, submissionSets.get(entryUuid));
    }

    /** Document entryUUID → the entryUUID of the submission set that brought it. */
    private Map<String, String> submissionSets() {
        return Database.read(dataSource, c -> {
            Map<String, String> map = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("select a.target_uuid, a.source_uuid from association a"
                    + " join registry_object s on s.entry_uuid = a.source_uuid and s.object_type = 'SubmissionSet'"
                    + " where a.association_type = 'HAS_MEMBER'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    map.put(rs.getString(1), rs.getString(2));
                }
            }
            return map;
        });
    }

    private Map<String, String> entryUuids() {
        return Database.read(dataSource, c -> {
            Map<String, String> map = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select unique_id, entry_uuid from registry_object where object_type = 'DocumentEntry'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    map.put(rs.getString(1), rs.getString(2));
                }
            }
            return map;
        });
    }

    private static List<LeakWorld.Requester> requesters(LeakWorld world) {
        List<LeakWorld.Requester> requesters = new ArrayList<>();
        for (LeakWorld.Organisation organisation : world.organisations) {
            for (PurposeOfUse purpose : PurposeOfUse.values()) {
                for (String role : UZI_ROLES.subList(0, 2)) {
                    String user = "9000" + organisation.ura().value().substring(4) + role.replace(".", "");
                    requesters.add(new LeakWorld.Requester(organisation, purpose, role, user,
                            ISSUER.token(organisation.ura().value(), purpose.code(), role, user, Duration.ofHours(3))));
                }
            }
        }
        return requesters;
    }

    /** Revokes every consent in force and stores a new random set for every patient; {@code consents} follows the store. */
    private void rewriteConsents(LeakWorld world, RandomConsents generator, Map<Bsn, List<ConsentRecord>> consents,
                                 Random random, Instant now) {
        for (Bsn patient : world.patients) {
            List<ConsentRecord> all = new ArrayList<>();
            for (ConsentRecord old : consents.getOrDefault(patient, List.of())) {
                if (old.status() == ConsentStatus.ACTIVE) {
                    consentStore.revoke(old.id(), "next round");
                    all.add(old.withStatus(ConsentStatus.REVOKED));
                } else {
                    all.add(old);
                }
            }
            for (RandomConsents.Generated generated : generator.of(patient, random, now)) {
                consentStore.create(generated.record());
                if (generated.revoke()) {
                    consentStore.revoke(generated.record().id(), "withdrawn");
                    all.add(generated.record().withStatus(ConsentStatus.REVOKED));
                } else {
                    all.add(generated.record());
                }
            }
            consents.put(patient, all);
        }
    }
}
