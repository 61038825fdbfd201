package nl.beeldbrug.gateway.bridge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.idgenerator.UUIDGenerator;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.micrometer.core.instrument.MeterRegistry;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.gateway.security.IuaClaims;
import nl.beeldbrug.gateway.security.Tokens;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.bridge.imports.PrefetchOrderStore;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prefetch of priors end to end (issue 5 point 4): a ZDC Orthanc holds the patient's priors (registered through
 * ITI-41), a hospital Orthanc is the hospital's PACS. Orders arrive as HL7 v2 ORM^O01 over MLLP (HAPI's client on a
 * socket) and as {@code ServiceRequest/$prefetch} with the hospital's IUA token; before the deadline (system property
 * {@code prefetch.deadline}, default 120 s) the relevant priors, up to the cap, are in the hospital Orthanc with the
 * source's SOP Instance UIDs and pixel data, and nothing else is imported.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "beeldbrug.demo.enabled=false",
        "beeldbrug.bridge.serve.imports.poll-interval=200ms", "beeldbrug.bridge.serve.imports.first-backoff=200ms",
        "beeldbrug.priors.prefetch.enabled=true", "beeldbrug.priors.prefetch.order-host=127.0.0.1",
        "beeldbrug.priors.prefetch.facilities.ZIEKENHUIS-A=hospital", "beeldbrug.priors.prefetch.watch-interval=200ms",
        "beeldbrug.security.tokens.enabled=true", "beeldbrug.security.tokens.audiences[0]=" + PrefetchIT.AUDIENCE,
        "beeldbrug.consent.organisations[0].ura=" + BridgePeers.HOSPITAL_URA,
        "beeldbrug.consent.organisations[0].type=hospital"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrefetchIT {

    static final String ISSUER = "https://sts.prefetch.test";
    static final String AUDIENCE = "https://beeldbrug.prefetch.test";
    static final Duration DEADLINE = Duration.ofSeconds(Long.getLong("prefetch.deadline", 120));
    private static final RSAKey KEY = Tokens.rsa("prefetch-key");
    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
    /** The planned exam: tomorrow 10:00 Dutch time. */
    private static final ZonedDateTime PLANNED = ZonedDateTime.now(NL).plusDays(1).truncatedTo(ChronoUnit.DAYS).plusHours(10);

    private static BridgePeers peers;
    private static int orderPort;

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-prefetch-postgres");
        peers = new BridgePeers(Files.createTempDirectory(Files.createDirectories(Path.of("target")), "prefetch-peers"));
        peers.register(registry);
        orderPort = Peers.freePort();
        registry.add("beeldbrug.priors.prefetch.order-port", () -> orderPort);
        Path jwks = Files.createTempFile(Files.createDirectories(Path.of("target")), "prefetch-jwks", ".json");
        Files.writeString(jwks, new JWKSet(KEY.toPublicJWK()).toString());
        registry.add("beeldbrug.security.tokens.issuers[0].id", () -> ISSUER);
        registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", jwks::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    DocumentRepositoryService repository;
    @Autowired
    ConsentStore consents;
    @Autowired
    AuditStore audit;
    @Autowired
    MeterRegistry meters;
    @Autowired
    PrefetchOrderStore orders;

    private final HapiContext hl7 = hl7();
    private final HttpClient http = HttpClient.newHttpClient();

    private static HapiContext hl7() {
        HapiContext context = new DefaultHapiContext();
        context.setValidationContext(ValidationContextFactory.noValidation());
        context.getParserConfiguration().setIdGenerator(new UUIDGenerator());
        return context;
    }

    @BeforeAll
    void patients() {
        Database.inTransaction(dataSource, t -> {
            patients.add(t, SampleMetadata.BSN);
            patients.add(t, SampleMetadata.OTHER_BSN);
            patients.add(t, SampleMetadata.THIRD_BSN);
            return null;
        });
    }

    @AfterAll
    void stop() throws IOException {
        hl7.close();
        peers.close();
    }

    // ---------------------------------------------------------------- the HL7 v2 path

    @Test
    void anOrmOrderBringsTheRelevantPriorsUpToTheCapIntoTheHospitalPacsAndNothingElse() throws Exception {
        Bsn patient = SampleMetadata.BSN;
        Fixtures.Study denied = prior(patient, "CT thorax", "CT", "51185008", 5);          // would be the duplicate
        Fixtures.Study ctRecent = prior(patient, "CT thorax", "CT", "51185008", 20);       // duplicate
        Fixtures.Study xThorax = prior(patient, "X-thorax", "CR", "51185008", 10);         // same region, the PACS has it
        Fixtures.Study xOlder = prior(patient, "X-thorax", "CR", "51185008", 200);         // same region
        Fixtures.Study ctOld = prior(patient, "CT thorax", "CT", "51185008", 400);         // same region (outside window)
        Fixtures.Study overCap = prior(patient, "X-thorax", "CR", "51185008", 800);        // fourth relevant: over the cap
        Fixtures.Study tooOld = prior(patient, "CT thorax", "CT", "51185008", 6 * 365 + 30);
        Fixtures.Study knee = prior(patient, "MRI knie links", "MR", "72696002", 30);      // other region
        Fixtures.Study brain = prior(patient, "MRI hersenen", "MR", "69536005", 60);       // other region
        BridgePeers.storescu(peers.hospital, xThorax.files());
        consents.create(new ConsentRecord(ConsentStore.newId(), patient, ConsentStatus.ACTIVE, Instant.now(),
                List.of(Provision.deny().organisation(Ura.of(BridgePeers.HOSPITAL_URA)).studies(denied.studyUid()).build())));
        double prefetchedBefore = counter("beeldbrug.priors.prefetched");
        long leadTimesBefore = meters.get("beeldbrug.priors.prefetch.lead.time").timer().count();
        int auditBefore = prefetchAudits(patient);

        Message ack = send(orm("ORM-100", "ORD-100", patient.value(), "24627-2^CT Chest^LN"));
        assertThat(field(ack, "MSA-1")).isEqualTo("AA");
        assertThat(field(ack, "MSA-3")).isEqualTo("3 prior(s) queued for import, 1 already present");

        List<Fixtures.Study> expected = List.of(ctRecent, xOlder, ctOld);
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(250)).until(() -> jobStates(patient, expected).stream()
                .allMatch("done"::equals));
        for (Fixtures.Study study : expected) {
            assertThat(BridgePeers.contents(peers.hospital, study.studyUid(), peers.dir.resolve("hospital-" + study.studyUid())))
                    .as("imported with the source's SOP Instance UIDs and pixel data")
                    .isEqualTo(Fixtures.instances(study.files()));
        }
        for (Fixtures.Study study : List.of(denied, overCap, tooOld, knee, brain)) {
            assertThat(hospitalInstances(study.studyUid())).isZero();
            assertThat(jobs(study.studyUid())).isZero();
        }
        assertThat(jobs(xThorax.studyUid())).as("the PACS had it: not imported again").isZero();
        assertThat(orders.jobsOf("hospital", "ORD-100")).hasSize(3);

        // the same order again (another message, the same placer order number): nothing new
        long jobsBefore = count("select count(*) from import_job");
        Message again = send(orm("ORM-101", "ORD-100", patient.value(), "24627-2^CT Chest^LN"));
        assertThat(field(again, "MSA-1")).isEqualTo("AA");
        assertThat(field(again, "MSA-3")).contains("already received");
        assertThat(count("select count(*) from import_job")).isEqualTo(jobsBefore);
        assertThat(orders.jobsOf("hospital", "ORD-100")).hasSize(3);
        for (Fixtures.Study study : expected) {
            assertThat(jobs(study.studyUid())).isEqualTo(1);
        }

        // metrics: three priors prefetched, each with its lead time (done a day before the exam: not late)
        await().atMost(Duration.ofSeconds(20)).until(() -> counter("beeldbrug.priors.prefetched") - prefetchedBefore == 3);
        assertThat(meters.get("beeldbrug.priors.prefetch.lead.time").timer().count() - leadTimesBefore).isEqualTo(3);
        assertThat(counter("beeldbrug.priors.prefetch.orders.repeated")).isGreaterThanOrEqualTo(1);
        // one audit record per order, stamped with the hospital and TREAT
        await().atMost(Duration.ofSeconds(10)).until(() -> prefetchAudits(patient) == auditBefore + 2);
        assertThat(audit.forPatient(patient.value()).stream().filter(r -> r.eventType().contains("PREFETCH")))
                .allSatisfy(r -> {
                    assertThat(r.organisation()).isEqualTo(BridgePeers.HOSPITAL_URA);
                    assertThat(r.purpose()).isEqualTo("TREAT");
                });
    }

    @Test
    void theSameOrderSentConcurrentlyStartsOneImport() throws Exception {
        Bsn patient = SampleMetadata.THIRD_BSN;
        Fixtures.Study ct = prior(patient, "CT thorax", "CT", "51185008", 40);
        String orm = orm("ORM-300", "ORD-300", patient.value(), "24627-2^CT Chest^LN");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> rawExchange(orm)));
            }
            List<String> texts = new ArrayList<>();
            for (Future<String> answer : answers) {
                String er7 = answer.get();
                assertThat(raw(er7, "MSA", 1)).isEqualTo("AA");
                texts.add(raw(er7, "MSA", 3));
            }
            assertThat(texts).filteredOn(t -> t.startsWith("1 prior(s) queued")).hasSize(1);
            assertThat(texts).filteredOn(t -> t.contains("already received")).hasSize(3);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jobs(ct.studyUid())).isEqualTo(1);
        await().atMost(DEADLINE).until(() -> jobStates(patient, List.of(ct)).equals(List.of("done")));

        // the store itself: of many takers of one order, one wins
        List<Callable<Boolean>> takers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            takers.add(() -> orders.take("hospital", "ORD-RACE", Instant.now()));
        }
        ExecutorService race = Executors.newFixedThreadPool(8);
        try {
            long won = 0;
            for (Future<Boolean> f : race.invokeAll(takers)) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            race.shutdownNow();
        }
    }

    @Test
    void malformedOrdersAreRefusedWithAnErrorStoreNothingAndTheListenerKeepsRunning() throws Exception {
        long orderRows = count("select count(*) from prefetch_order");
        long jobRows = count("select count(*) from import_job");
        double rejectedBefore = counter("beeldbrug.priors.prefetch.orders.rejected");

        Message invalidBsn = send(orm("ORM-200", "ORD-200", "999999991", "24627-2^CT Chest^LN"));
        assertThat(field(invalidBsn, "MSA-1")).isEqualTo("AE");
        assertThat(field(invalidBsn, "ERR-1")).startsWith("PID^");
        assertThat(hl7.getPipeParser().encode(invalidBsn)).doesNotContain("999999991");

        Message noExam = send(orm("ORM-201", "ORD-201", SampleMetadata.BSN.value(), ""));
        assertThat(field(noExam, "MSA-1")).isEqualTo("AE");
        assertThat(field(noExam, "ERR-1")).startsWith("OBR^");

        Message unknownHospital = send(orm("ORM-202", "ORD-202", SampleMetadata.BSN.value(), "24627-2^CT Chest^LN")
                .replace("|ZIEKENHUIS-A|", "|ZIEKENHUIS-X|"));
        assertThat(field(unknownHospital, "MSA-1")).isEqualTo("AE");
        assertThat(field(unknownHospital, "ERR-1")).startsWith("MSH^");

        String adt = rawExchange("MSH|^~\\&|HIS|ZIEKENHUIS-A|BEELDBRUG|BEELDBRUG|20261129120000||ADT^A01|ADT-1|P|2.3.1\rEVN|A01\r"
                + "PID|||" + SampleMetadata.BSN.value() + "^^^&2.16.840.1.113883.2.4.6.3&ISO\r");
        assertThat(raw(adt, "MSA", 1)).isEqualTo("AR");
        assertThat(raw(adt, "ERR", 1)).isNotEmpty();

        String garbage = rawExchange("this is no HL7 message at all");
        assertThat(raw(garbage, "MSA", 1)).isEqualTo("AR");

        assertThat(count("select count(*) from prefetch_order")).isEqualTo(orderRows);
        assertThat(count("select count(*) from import_job")).isEqualTo(jobRows);
        assertThat(counter("beeldbrug.priors.prefetch.orders.rejected") - rejectedBefore).isEqualTo(4);

        // the listener keeps running: a good order (no priors for this exam) is still taken
        Message ok = send(orm("ORM-203", "ORD-203", SampleMetadata.BSN.value(), "MRSCHR^MRI schouder re^L"));
        assertThat(field(ok, "MSA-1")).isEqualTo("AA");
    }

    // ---------------------------------------------------------------- the FHIR path

    @Test
    void aServiceRequestPrefetchedByTheAuthenticatedHospitalTakesTheSamePath() throws Exception {
        Bsn patient = SampleMetadata.OTHER_BSN;
        Fixtures.Study ct = prior(patient, "CT thorax", "CT", "51185008", 50);
        Fixtures.Study knee = prior(patient, "MRI knie links", "MR", "72696002", 30);
        int auditBefore = audit.forPatient(patient.value()).size();

        HttpResponse<String> answer = prefetch(serviceRequest(patient, "FHIR-ORD-1"), BridgePeers.HOSPITAL_URA);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Parameters parameters = FhirContext.forR4Cached().newJsonParser().parseResource(Parameters.class, answer.body());
        assertThat(parameters.getParameter("repeated").getValue().primitiveValue()).isEqualTo("false");
        List<Parameters.ParametersParameterComponent> queued = parameters.getParameters("queued");
        assertThat(queued).hasSize(1);
        assertThat(((Identifier) queued.get(0).getPart().get(0).getValue()).getValue()).isEqualTo("urn:oid:" + ct.studyUid());
        assertThat(queued.get(0).getPart().get(1).getValue().primitiveValue()).startsWith("/api/imports/");

        await().atMost(DEADLINE).until(() -> jobStates(patient, List.of(ct)).equals(List.of("done")));
        assertThat(BridgePeers.contents(peers.hospital, ct.studyUid(), peers.dir.resolve("hospital-fhir")))
                .isEqualTo(Fixtures.instances(ct.files()));
        assertThat(jobs(knee.studyUid())).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> audit.forPatient(patient.value()).size() == auditBefore + 1);

        HttpResponse<String> repeated = prefetch(serviceRequest(patient, "FHIR-ORD-1"), BridgePeers.HOSPITAL_URA);
        assertThat(repeated.statusCode()).isEqualTo(200);
        assertThat(repeated.body()).contains("\"valueBoolean\":true");
        assertThat(jobs(ct.studyUid())).isEqualTo(1);

        // an organisation without a connected PACS may not prefetch; no token at all is 401
        assertThat(prefetch(serviceRequest(patient, "FHIR-ORD-2"), Tokens.URA).statusCode()).isEqualTo(403);
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/ServiceRequest/$prefetch"))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(serviceRequest(patient, "FHIR-ORD-3"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        // an order without a patient BSN is a 400
        assertThat(prefetch(serviceRequest(patient, "FHIR-ORD-4").replace(patient.value(), "123"), BridgePeers.HOSPITAL_URA)
                .statusCode()).isEqualTo(400);
        assertThat(orders.jobsOf("hospital", "FHIR-ORD-2")).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** A study loaded into the ZDC Orthanc and registered (ITI-41) as the ZDC's, with its exam and date. */
    private Fixtures.Study prior(Bsn patient, String title, String modality, String bodySite, int daysBeforePlanned) {
        Fixtures.Study study = peers.loadIntoZdc("pf-" + UUID.randomUUID().toString().substring(0, 8));
        SampleMetadata sample = SampleMetadata.forPatient(patient);
        DocumentEntry kos = sample.kos(study.studyUid());
        kos.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        kos.getReferenceIdList().add(0, new ReferenceId(study.studyUid(), null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        kos.getAuthors().get(0).getAuthorInstitution().set(0,
                new Organization("ZDC", BridgePeers.ZDC_URA, new AssigningAuthority("2.16.528.1.1007.3.3", "ISO")));
        kos.setServiceStartTime(SampleMetadata.time(PLANNED.minusDays(daysBeforePlanned)));
        kos.setTitle(new LocalizedString(title, "nl-NL", "UTF-8"));
        kos.getEventCodeList().clear();
        kos.getEventCodeList().add(new Code(modality, new LocalizedString(modality), SampleMetadata.DCM));
        kos.getEventCodeList().add(new Code(bodySite, new LocalizedString(bodySite), SampleMetadata.SNOMED));
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), kos));
        return study;
    }

    private String orm(String controlId, String placer, String bsn, String exam) {
        String planned = PLANNED.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        return "MSH|^~\\&|RIS|ZIEKENHUIS-A|BEELDBRUG|BEELDBRUG|20261129120000||ORM^O01|" + controlId + "|P|2.3.1\r"
                + "PID|||PAT-9^^^HOSP&1.2.528.1.1001.100.1&ISO~" + bsn + "^^^NLMINBIZA&2.16.840.1.113883.2.4.6.3&ISO||Test^Prefetch\r"
                + "ORC|NW|" + placer + "\r"
                + "OBR|1|" + placer + "||" + exam + "|||||||||||||||||||||||^^^" + planned + "\r";
    }

    /** Sends an order with HAPI's MLLP client and returns the ACK. */
    private Message send(String er7) throws Exception {
        Connection connection = hl7.newClient("127.0.0.1", orderPort, false);
        try {
            return connection.getInitiator().sendAndReceive(hl7.getPipeParser().parse(er7));
        } finally {
            connection.close();
        }
    }

    private String field(Message message, String path) throws Exception {
        String er7 = hl7.getPipeParser().encode(message);
        return raw(er7, path.substring(0, 3), Integer.parseInt(path.substring(4)));
    }

    /** One MLLP frame on a socket of its own (for frames HAPI's client would not send). */
    private String rawExchange(String message) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), orderPort)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(0x0b);
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.write(new byte[]{0x1c, 0x0d});
            out.flush();
            InputStream in = socket.getInputStream();
            int b;
            while ((b = in.read()) != 0x0b) {
                if (b < 0) {
                    throw new IOException("closed");
                }
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            while ((b = in.read()) != 0x1c) {
                if (b < 0) {
                    throw new IOException("closed inside a message");
                }
                answer.write(b);
            }
            return answer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field of an ER7 message ("" when absent). */
    private static String raw(String er7, String segment, int field) {
        for (String line : er7.split("[\r\n]+")) {
            if (line.startsWith(segment + "|")) {
                String[] fields = line.split("\\|", -1);
                int index = segment.equals("MSH") ? field - 1 : field;
                return index < fields.length ? fields[index] : "";
            }
        }
        return "";
    }

    private String serviceRequest(Bsn patient, String placer) {
        ServiceRequest order = new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.addIdentifier().setValue(placer).getType().addCoding(
                new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "PLAC", "Placer Identifier"));
        order.getCode().addCoding(new Coding("http://loinc.org", "24627-2", "CT Chest"));
        order.setSubject(new Reference().setIdentifier(new Identifier().setSystem("http://fhir.nl/fhir/NamingSystem/bsn")
                .setValue(patient.value())));
        order.setOccurrence(new DateTimeType(Date.from(PLANNED.toInstant())));
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("order").setResource(order);
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(parameters);
    }

    private HttpResponse<String> prefetch(String body, String ura) throws Exception {
        var claims = Tokens.withIua(Tokens.claims(Instant.now()).issuer(ISSUER).audience(List.of(AUDIENCE)),
                IuaClaims.SUBJECT_ORGANIZATION_ID, "urn:oid:2.16.528.1.1007.3.3." + ura).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/ServiceRequest/$prefetch"))
                        .header("Content-Type", "application/fhir+json")
                        .header("Authorization", Tokens.bearer(Tokens.sign(KEY, JWSAlgorithm.RS256, claims)))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private int prefetchAudits(Bsn patient) {
        return (int) audit.forPatient(patient.value()).stream().filter(r -> r.eventType().contains("PREFETCH")).count();
    }

    /** The states of the import jobs of these studies into the hospital (one per study, in order). */
    private List<String> jobStates(Bsn patient, List<Fixtures.Study> studies) {
        List<String> states = new ArrayList<>();
        for (Fixtures.Study study : studies) {
            states.add(Database.read(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement("select state from import_job where study_instance_uid = ?"
                        + " and target = 'hospital' order by id desc limit 1")) {
                    ps.setString(1, study.studyUid());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : "none";
                    }
                }
            }));
        }
        return states;
    }

    private long jobs(String studyUid) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from import_job where study_instance_uid = ?")) {
                ps.setString(1, studyUid);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private long count(String sql) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private int hospitalInstances(String studyUid) throws IOException {
        return peers.hospital.post("/tools/find", "{\"Level\":\"Instance\",\"Query\":{\"StudyInstanceUID\":\"" + studyUid + "\"}}").size();
    }
}
