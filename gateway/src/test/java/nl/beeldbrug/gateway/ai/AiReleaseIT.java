package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.deid.Deidentifier;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.gateway.bridge.BridgePeers;
import nl.beeldbrug.gateway.fhir.R4Validation;
import nl.beeldbrug.gateway.security.IuaClaims;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.gateway.security.Tokens;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.ai.CohortCriteria;
import nl.beeldbrug.registry.ai.CohortMember;
import nl.beeldbrug.registry.ai.CohortStore;
import nl.beeldbrug.registry.ai.delivery.ReleaseRecords;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End to end, issue 7 delivery: a real Orthanc is the hospital archive (published through the bridge), the AI platforms
 * are plain java.net.http clients with their own IUA tokens. QIDO-RS finds only included, consented studies; WADO-RS
 * returns every instance de-identified (pseudonym as PatientID, no original UID, BSN or name in the bytes, pixel data
 * byte-identical); a second platform gets other UIDs and cannot use the first's; non-platforms and other purposes get
 * 403. Bulk export: consent revoked mid-export withdraws the patient (files gone, 404, counted nowhere); a killed worker's
 * export is resumed to exactly the expected files; a ZIP downloaded in two Range requests equals the whole.
 * Provenance per released study; one audit record with purpose AI per request.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0", "beeldbrug.demo.enabled=false", "beeldbrug.bridge.serve.imports.enabled=false",
        "beeldbrug.security.tokens.enabled=true", "beeldbrug.security.tokens.audiences[0]=" + Tokens.AUDIENCE,
        "beeldbrug.ai-delivery.exports.poll-interval=200ms", "beeldbrug.ai-delivery.exports.lease=2s",
        "beeldbrug.security.privacy-officers[0]=00008888"})
@Import(AiReleaseIT.Hooks.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AiReleaseIT {

    static final String P1 = "00007001";
    static final String P2 = "00007002";
    static final String HOSPITAL = "00009999";
    static final String OFFICER = "00008888";
    /** Consent AI for both platforms. */
    static final Bsn A = SampleMetadata.BSN;
    /** Consent AI for platform 1. */
    static final Bsn B = SampleMetadata.OTHER_BSN;
    /** No AI consent at all. */
    static final Bsn C = SampleMetadata.THIRD_BSN;
    /** Consent AI for platform 1, revoked during an export. */
    static final Bsn D = Bsn.of("200000007");

    private static final ECKey ISSUER_KEY = Tokens.ec("ai-release-it");
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Pause PAUSE = new Pause();
    private static BridgePeers peers;
    private static Path dir;

    @DynamicPropertySource
    static void configure(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-ai-release-postgres");
        dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "ai-release").toAbsolutePath();
        peers = new BridgePeers(dir.resolve("peers"));
        peers.register(registry);
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(ISSUER_KEY.toPublicJWK()).toString());
        registry.add("beeldbrug.security.tokens.issuers[0].id", () -> Tokens.ISSUER);
        registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", jwks::toString);
        int i = 0;
        for (String ura : List.of(P1, P2)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path file = dir.resolve(ura + ".key"); // generated per run, never in the repository
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            String p = "beeldbrug.ai.platforms[" + (i++) + "].";
            registry.add(p + "ura", () -> ura);
            registry.add(p + "name", () -> "Platform " + ura);
            registry.add(p + "key-file", file::toString);
        }
        registry.add("beeldbrug.ai-delivery.data-dir", () -> dir.resolve("ai").toString());
    }

    @TestConfiguration
    static class Hooks {
        @Bean
        AiExportWorker.Hook aiExportPause() {
            return PAUSE;
        }
    }

    /** Holds the export worker before the study at an armed position, until released. */
    static final class Pause implements AiExportWorker.Hook {
        volatile int position = -1;
        volatile CountDownLatch arrived = new CountDownLatch(1);
        volatile CountDownLatch go = new CountDownLatch(1);

        void arm(int at) {
            arrived = new CountDownLatch(1);
            go = new CountDownLatch(1);
            position = at;
        }

        void release() {
            position = -1;
            go.countDown();
        }

        @Override
        public void beforeStudy(UUID exportId, int at) throws InterruptedException {
            if (at == position) {
                arrived.countDown();
                go.await();
            }
        }
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
    CohortStore cohorts;
    @Autowired
    AiPlatforms platforms;
    @Autowired
    AiExportWorker worker;
    @Autowired
    AiExports exports;
    @Autowired
    AiReleases releases;
    @Autowired
    Requesters requesters;
    @Autowired
    Deidentifier deidentifier;
    @Autowired
    ReleaseRecords provenance;
    @Autowired
    AiAudit audit;
    @Autowired
    AiDeliveryProperties properties;

    private final Map<String, Fixtures.Study> studies = new LinkedHashMap<>();
    private final Map<String, Bsn> patientOf = new LinkedHashMap<>();
    private final Map<Bsn, String> consentOf = new LinkedHashMap<>();
    private ConsentStore consents;
    private AiExportWorker restarted;

    @BeforeAll
    void load() {
        Database.inTransaction(dataSource, t -> {
            for (Bsn p : List.of(A, B, C, D)) {
                patients.add(t, p);
            }
            return null;
        });
        Map<String, Bsn> plan = new LinkedHashMap<>();
        plan.put("a1", A);
        plan.put("a2", A);
        plan.put("b1", B);
        plan.put("c1", C);
        plan.put("d1", D);
        plan.put("d2", D);
        plan.forEach((tag, patient) -> {
            Fixtures.Study study = peers.loadIntoZdc(tag);
            BridgePeers.register(repository, patient, study.studyUid(), BridgePeers.ZDC_URA);
            studies.put(tag, study);
            patientOf.put(tag, patient);
        });
        consents = new ConsentStore(dataSource, Clock.systemUTC());
        aiConsent(A, P1, P2);
        aiConsent(B, P1);
        aiConsent(D, P1);
    }

    @AfterAll
    void stop() {
        if (restarted != null) {
            restarted.close();
        }
        peers.close();
    }

    private void aiConsent(Bsn patient, String... platformUras) {
        Provision.Builder permit = Provision.permit().purposes(PurposeOfUse.AI);
        for (String ura : platformUras) {
            permit.organisation(Ura.of(ura));
        }
        String id = ConsentStore.newId();
        consents.create(new ConsentRecord(id, patient, ConsentStatus.ACTIVE, Instant.now(), List.of(permit.build())));
        consentOf.put(patient, id);
    }

    /** A cohort of the platform with these studies as INCLUDED members (the selection itself is helper B's, tested there). */
    private UUID cohort(String platformUra, String... tags) {
        AiPlatform platform = platforms.byUra(Ura.of(platformUra)).orElseThrow();
        UUID id = cohorts.create(platform.ura(), new CohortCriteria(Set.of(), null, null, null, Set.of(), 100), Instant.now()).id();
        List<CohortMember> members = new ArrayList<>();
        for (String tag : tags) {
            String bsn = patientOf.get(tag).value();
            members.add(new CohortMember(id, studies.get(tag).studyUid(), pseudo(platformUra, studies.get(tag).studyUid()),
                    bsn, platform.pseudonyms().patientPseudonym(bsn), Ura.of(BridgePeers.ZDC_URA)));
        }
        cohorts.record(id, members, List.of());
        return id;
    }

    private String pseudo(String platformUra, String uid) {
        return platforms.byUra(Ura.of(platformUra)).orElseThrow().pseudonyms().uid(uid);
    }

    private String pseudonym(String platformUra, Bsn patient) {
        return platforms.byUra(Ura.of(platformUra)).orElseThrow().pseudonyms().patientPseudonym(patient.value());
    }

    // ------------------------------------------------------------------------------------------ DICOMweb

    private UUID dicomwebCohort;

    private synchronized void dicomwebCohort() {
        if (dicomwebCohort == null) {
            dicomwebCohort = cohort(P1, "a1", "a2", "b1", "c1");
            cohort(P2, "a1");
        }
    }

    @Test
    void qidoFindsOnlyIncludedConsentedStudies() throws Exception {
        dicomwebCohort();
        JsonNode all = json(once("RAD-129", () -> get("/ai/dicomweb/studies", token(P1, "AI"))));
        Map<String, String> found = new TreeMap<>();
        all.forEach(s -> found.put(s.path("0020000D").path("Value").path(0).asText(), s.path("00100020").path("Value").path(0).asText()));
        Map<String, String> expected = new TreeMap<>();
        for (String tag : List.of("a1", "a2", "b1")) {
            expected.put(pseudo(P1, studies.get(tag).studyUid()), pseudonym(P1, patientOf.get(tag)));
        }
        assertThat(found).isEqualTo(expected); // c1: no AI consent; d1/d2: in no cohort of P1 yet
        String text = all.toString();
        for (Fixtures.Study s : studies.values()) {
            assertThat(text).doesNotContain(s.studyUid());
        }
        assertThat(text).doesNotContain(A.value()).doesNotContain(B.value()).doesNotContain(C.value());

        // StudyDate in the shifted dates: the range of A's shifted date finds A's studies
        JsonNode a1 = find(all, pseudo(P1, studies.get("a1").studyUid()));
        String shifted = a1.path("00080020").path("Value").path(0).asText();
        JsonNode byDate = json(get("/ai/dicomweb/studies?StudyDate=" + shifted + "-" + shifted, token(P1, "AI")));
        assertThat(uids(byDate)).contains(pseudo(P1, studies.get("a1").studyUid()));
        for (JsonNode s : byDate) {
            assertThat(s.path("00080020").path("Value").path(0).asText()).isEqualTo(shifted);
        }
        String modality = a1.path("00080061").path("Value").path(0).asText();
        assertThat(uids(json(get("/ai/dicomweb/studies?ModalitiesInStudy=" + modality, token(P1, "AI")))))
                .contains(pseudo(P1, studies.get("a1").studyUid()));
        assertThat(json(get("/ai/dicomweb/studies?ModalitiesInStudy=XA", token(P1, "AI")))).isEmpty();
        // paging after consent: offset 1, limit 1 is the second of the three
        JsonNode page = json(get("/ai/dicomweb/studies?offset=1&limit=1", token(P1, "AI")));
        assertThat(uids(page)).containsExactly(uids(all).get(1));
        // the second platform sees its own cohort under its own UIDs
        assertThat(uids(json(get("/ai/dicomweb/studies", token(P2, "AI")))))
                .containsExactly(pseudo(P2, studies.get("a1").studyUid()));
        assertThat(new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_event where event_type like"
                + " '%RAD-129%' and purpose = 'AI' and organisation = ?", Integer.class, P1)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void wadoRetrievesEveryInstanceDeidentified() throws Exception {
        dicomwebCohort();
        Fixtures.Study a1 = studies.get("a1");
        String study = pseudo(P1, a1.studyUid());
        HttpResponse<byte[]> answer = once("RAD-107", () -> get("/ai/dicomweb/studies/" + study, token(P1, "AI")));
        assertThat(answer.statusCode()).isEqualTo(200);
        List<byte[]> parts = Multipart.parts(answer.headers().firstValue("Content-Type").orElseThrow(), answer.body());
        assertThat(parts).hasSize(4);
        Map<String, String> originalPixels = new TreeMap<>(); // pseudonymous SOP UID (computed) → pixel hash of the original
        Set<String> originalUids = new LinkedHashSet<>();
        for (Path f : a1.files()) {
            Attributes ds = DicomFile.read(f).dataset();
            originalPixels.put(pseudo(P1, ds.getString(Tag.SOPInstanceUID)), Fixtures.pixelHash(f));
            originalUids.addAll(List.of(ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SeriesInstanceUID),
                    ds.getString(Tag.SOPInstanceUID)));
        }
        Map<String, String> gotPixels = new TreeMap<>();
        Set<String> series = new TreeSet<>();
        for (byte[] part : parts) {
            for (String original : originalUids) {
                assertThat(Multipart.contains(part, original)).as("original UID %s in the output", original).isFalse();
            }
            for (String identifying : List.of(A.value(), Fixtures.PATIENT_ID, "Test^Beeldbrug")) {
                assertThat(Multipart.contains(part, identifying)).as("%s in the output", identifying).isFalse();
            }
            Path f = Files.createTempFile(dir, "part", ".dcm");
            Files.write(f, part);
            Attributes ds = DicomFile.read(f).dataset();
            assertThat(ds.getString(Tag.PatientID)).isEqualTo(pseudonym(P1, A));
            assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo(study);
            series.add(ds.getString(Tag.SeriesInstanceUID));
            gotPixels.put(ds.getString(Tag.SOPInstanceUID), Fixtures.pixelHash(f));
        }
        assertThat(gotPixels).isEqualTo(originalPixels); // pixel data byte-identical, UIDs consistently remapped
        assertThat(series).hasSize(3);

        // QIDO series and instances, WADO series, instance and metadata under the pseudonymous UIDs
        JsonNode qidoSeries = json(get("/ai/dicomweb/studies/" + study + "/series", token(P1, "AI")));
        assertThat(qidoSeries).hasSize(3);
        Set<String> qidoSeriesUids = new TreeSet<>();
        qidoSeries.forEach(s -> qidoSeriesUids.add(s.path("0020000E").path("Value").path(0).asText()));
        assertThat(qidoSeriesUids).isEqualTo(series);
        String mrSeries = pseudo(P1, a1.studyUid() + ".2");
        JsonNode instances = json(get("/ai/dicomweb/studies/" + study + "/series/" + mrSeries + "/instances", token(P1, "AI")));
        assertThat(instances).hasSize(2);
        String sop = instances.get(0).path("00080018").path("Value").path(0).asText();
        HttpResponse<byte[]> mr = get("/ai/dicomweb/studies/" + study + "/series/" + mrSeries, token(P1, "AI"));
        assertThat(Multipart.parts(mr.headers().firstValue("Content-Type").orElseThrow(), mr.body())).hasSize(2);
        HttpResponse<byte[]> one = get("/ai/dicomweb/studies/" + study + "/series/" + mrSeries + "/instances/" + sop, token(P1, "AI"));
        assertThat(Multipart.parts(one.headers().firstValue("Content-Type").orElseThrow(), one.body())).hasSize(1);
        HttpResponse<byte[]> meta = once("RAD-107", () -> get("/ai/dicomweb/studies/" + study + "/metadata", token(P1, "AI")));
        JsonNode metadata = JSON.readTree(meta.body());
        assertThat(metadata).hasSize(4);
        String metaText = metadata.toString();
        originalUids.forEach(uid -> assertThat(metaText).doesNotContain(uid));
        assertThat(metaText).doesNotContain(A.value()).doesNotContain("Test^Beeldbrug").contains(pseudonym(P1, A));
        assertThat(get("/ai/dicomweb/studies/" + study + "/series/" + pseudo(P2, a1.studyUid() + ".2"), token(P1, "AI"))
                .statusCode()).isEqualTo(404);

        // Provenance: one for the first release of the study to P1, valid R4, visible to P1 and privacy officers only
        Bundle bundle = fhirSearch("/fhir/Provenance?target=ImagingStudy/" + study, token(P1, "AI"));
        assertThat(bundle.getEntry()).hasSize(1);
        Provenance p = (Provenance) bundle.getEntryFirstRep().getResource();
        R4Validation.assertValid(p);
        assertThat(p.getTargetFirstRep().getReference()).isEqualTo("ImagingStudy/" + study);
        assertThat(p.getActivity().getCodingFirstRep().getCode()).isEqualTo("deidentify");
        String encoded = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().encodeResourceToString(p);
        originalUids.forEach(uid -> assertThat(encoded).doesNotContain(uid));
        assertThat(fhirSearch("/fhir/Provenance?target=ImagingStudy/" + study, token(OFFICER, "TREAT")).getEntry()).hasSize(1);
        assertThat(fhirSearch("/fhir/Provenance?target=ImagingStudy/" + study, token(P2, "AI")).getEntry()).isEmpty();
        assertThat(get("/fhir/Provenance?target=ImagingStudy/" + study, token(HOSPITAL, "TREAT")).statusCode()).isEqualTo(403);
        assertThat(get("/fhir/Provenance/" + p.getIdElement().getIdPart(), token(P1, "AI")).statusCode()).isEqualTo(200);
        assertThat(get("/fhir/Provenance/" + p.getIdElement().getIdPart(), token(P2, "AI")).statusCode()).isEqualTo(404);
        // a second retrieval is no new first release
        get("/ai/dicomweb/studies/" + study, token(P1, "AI"));
        assertThat(fhirSearch("/fhir/Provenance?target=ImagingStudy/" + study, token(P1, "AI")).getEntry()).hasSize(1);
    }

    @Test
    void secondPlatformGetsOtherUidsAndCannotUseTheFirstsUids() throws Exception {
        dicomwebCohort();
        Fixtures.Study a1 = studies.get("a1");
        String p1 = pseudo(P1, a1.studyUid());
        String p2 = pseudo(P2, a1.studyUid());
        assertThat(p2).isNotEqualTo(p1);
        HttpResponse<byte[]> answer = get("/ai/dicomweb/studies/" + p2, token(P2, "AI"));
        assertThat(answer.statusCode()).isEqualTo(200);
        Set<String> p2Sops = new TreeSet<>();
        for (byte[] part : Multipart.parts(answer.headers().firstValue("Content-Type").orElseThrow(), answer.body())) {
            Path f = Files.createTempFile(dir, "p2", ".dcm");
            Files.write(f, part);
            Attributes ds = DicomFile.read(f).dataset();
            assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo(p2);
            assertThat(ds.getString(Tag.PatientID)).isEqualTo(pseudonym(P2, A)).isNotEqualTo(pseudonym(P1, A));
            assertThat(Multipart.contains(part, p1)).isFalse();
            p2Sops.add(ds.getString(Tag.SOPInstanceUID));
        }
        Set<String> p1Sops = new TreeSet<>();
        for (Path f : a1.files()) {
            p1Sops.add(pseudo(P1, DicomFile.read(f).dataset().getString(Tag.SOPInstanceUID)));
        }
        assertThat(p2Sops).hasSize(4).doesNotContainAnyElementsOf(p1Sops);
        // the other platform's pseudonymous UID is unknown here, like any unknown study
        HttpResponse<byte[]> foreign = once("RAD-107", () -> get("/ai/dicomweb/studies/" + p1, token(P2, "AI")));
        HttpResponse<byte[]> unknown = get("/ai/dicomweb/studies/2.25.4242424242", token(P2, "AI"));
        assertThat(foreign.statusCode()).isEqualTo(404).isEqualTo(unknown.statusCode());
        assertThat(foreign.body()).isEqualTo(unknown.body());
    }

    @Test
    void noConsentIsNotFoundAndNonPlatformsAreRefused() throws Exception {
        dicomwebCohort();
        String c1 = pseudo(P1, studies.get("c1").studyUid());
        HttpResponse<byte[]> denied = once("RAD-107", () -> get("/ai/dicomweb/studies/" + c1, token(P1, "AI")));
        HttpResponse<byte[]> unknown = get("/ai/dicomweb/studies/2.25.4242424242", token(P1, "AI"));
        assertThat(denied.statusCode()).isEqualTo(404);
        assertThat(denied.body()).isEqualTo(unknown.body());
        assertThat(get("/ai/dicomweb/studies/" + c1 + "/metadata", token(P1, "AI")).statusCode()).isEqualTo(404);
        assertThat(get("/ai/dicomweb/studies/" + c1 + "/series", token(P1, "AI")).statusCode()).isEqualTo(404);
        // the denial is on record: patient named, outcome minor failure, purpose AI
        assertThat(new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_event where event_type like '%RAD-107%'"
                + " and ? = any(patient_ids) and outcome <> 'Success' and purpose = 'AI'", Integer.class, C.value())).isPositive();

        String a1 = pseudo(P1, studies.get("a1").studyUid());
        assertThat(once("RAD-129", () -> get("/ai/dicomweb/studies", token(HOSPITAL, "AI"))).statusCode()).isEqualTo(403);
        assertThat(get("/ai/dicomweb/studies/" + a1, token(HOSPITAL, "AI")).statusCode()).isEqualTo(403);
        assertThat(get("/ai/dicomweb/studies/" + a1, token(P1, "TREAT")).statusCode()).isEqualTo(403);
        assertThat(get("/ai/dicomweb/studies", token(P1, "HRESCH")).statusCode()).isEqualTo(403);
        assertThat(post("/ai/cohorts/" + UUID.randomUUID() + "/exports", token(HOSPITAL, "AI")).statusCode()).isEqualTo(403);
    }

    // ------------------------------------------------------------------------------------------ exports

    @Test
    void consentRevokedMidExportWithdrawsThePatient() throws Exception {
        // cohort order: d1, b1, d2, c1 — D's consent is revoked once d1 is written; C never had one
        UUID cohort = cohort(P1, "d1", "b1", "d2", "c1");
        PAUSE.arm(1);
        URI location = createExport(P1, cohort);
        assertThat(PAUSE.arrived.await(60, TimeUnit.SECONDS)).as("the export reached the second study").isTrue();
        String d1 = pseudo(P1, studies.get("d1").studyUid());
        JsonNode halfway = json(get(location.getPath(), token(P1, "AI")));
        assertThat(fileNames(halfway)).containsExactly(d1 + ".zip");
        assertThat(halfway.path("studies").path("total").asInt()).isEqualTo(3); // c1 counted nowhere
        Path d1File = exports.file(UUID.fromString(halfway.path("id").asText()), d1);
        assertThat(d1File).exists();

        consents.revoke(consentOf.get(D), "patient withdrew AI consent");
        PAUSE.release();
        JsonNode status = awaitDone(location);
        String b1 = pseudo(P1, studies.get("b1").studyUid());
        assertThat(status.path("state").asText()).isEqualTo("done");
        assertThat(status.path("studies").path("total").asInt()).isEqualTo(1);
        assertThat(status.path("studies").path("done").asInt()).isEqualTo(1);
        assertThat(fileNames(status)).containsExactly(b1 + ".zip");
        assertThat(d1File).doesNotExist();
        assertThat(get(location.getPath() + "/studies/" + d1 + ".zip", token(P1, "AI")).statusCode()).isEqualTo(404);
        assertThat(get(location.getPath() + "/studies/" + pseudo(P1, studies.get("d2").studyUid()) + ".zip", token(P1, "AI"))
                .statusCode()).isEqualTo(404);
        JsonNode manifest = json(get(location.getPath() + "/manifest", token(P1, "AI")));
        assertThat(manifest.path("studies")).hasSize(1);
        String text = manifest.toString() + status;
        for (String tag : List.of("d1", "d2", "c1")) {
            assertThat(text).doesNotContain(pseudo(P1, studies.get(tag).studyUid()));
        }
        assertThat(text).doesNotContain(pseudonym(P1, D)).doesNotContain(pseudonym(P1, C));
        assertThat(get(location.getPath() + "/studies/" + b1 + ".zip", token(P1, "AI")).statusCode()).isEqualTo(200);
        // another platform cannot see the export
        assertThat(get(location.getPath(), token(P2, "AI")).statusCode()).isEqualTo(404);
    }

    @Test
    void killedExportResumesToExactlyTheExpectedFilesAndDownloadsResumeByRange() throws Exception {
        UUID cohort = cohort(P1, "a1", "b1", "a2");
        int exportRecordsBefore = exportRecords();
        PAUSE.arm(1);
        URI location = createExport(P1, cohort);
        assertThat(PAUSE.arrived.await(60, TimeUnit.SECONDS)).isTrue();
        worker.close(); // as if the process died: the export stays claimed until its lease runs out
        PAUSE.release();
        UUID id = UUID.fromString(location.getPath().substring(location.getPath().lastIndexOf('/') + 1));
        assertThat(json(get(location.getPath(), token(P1, "AI"))).path("state").asText()).isEqualTo("running");
        restarted = new AiExportWorker(exports, platforms, releases, requesters, new StudyZip(deidentifier), provenance,
                audit, properties.exports(), PAUSE, Clock.systemUTC());
        restarted.start();
        JsonNode status = awaitDone(location);
        List<String> expected = new ArrayList<>();
        for (String tag : List.of("a1", "b1", "a2")) {
            expected.add(pseudo(P1, studies.get(tag).studyUid()) + ".zip");
        }
        assertThat(fileNames(status)).containsExactlyElementsOf(expected);
        assertThat(status.path("studies").path("done").asInt()).isEqualTo(3);
        try (var listing = Files.list(exports.dir(id))) {
            assertThat(listing.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyElementsOf(expected.stream().sorted().toList());
        }
        // one audit record per study written, purpose AI, the platform as requester
        assertThat(exportRecords()).as(() -> new JdbcTemplate(dataSource).queryForList("select event_type, outcome,"
                + " organisation, purpose from audit_event where event_type like 'AI%'").toString())
                .isEqualTo(exportRecordsBefore + 3);
        JsonNode manifest = json(once("AI-EXPORT-REQUEST", () -> get(location.getPath() + "/manifest", token(P1, "AI"))));
        for (JsonNode file : status.path("files")) {
            byte[] whole = once("AI-DOWNLOAD", () -> get(file.path("url").asText(), token(P1, "AI"))).body();
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(whole)))
                    .isEqualTo(file.path("sha256").asText());
            assertThat((long) whole.length).isEqualTo(file.path("size").asLong());
            // the ZIP holds the study's 4 de-identified instances with the manifest's hashes, and its manifest.json
            Map<String, String> entries = new TreeMap<>();
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(whole))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    entries.put(e.getName(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip.readAllBytes())));
                }
            }
            assertThat(entries).hasSize(5).containsKey("manifest.json");
            JsonNode study = null;
            for (JsonNode s : manifest.path("studies")) {
                if (s.path("file").asText().equals(file.path("file").asText())) {
                    study = s;
                }
            }
            assertThat(study).isNotNull();
            for (JsonNode instance : study.path("instances")) {
                assertThat(entries.get(instance.path("file").asText())).isEqualTo(instance.path("sha256").asText());
            }
        }
        // a download broken off after 1000 bytes and resumed with Range equals the whole
        String url = status.path("files").get(0).path("url").asText();
        byte[] whole = get(url, token(P1, "AI")).body();
        HttpResponse<byte[]> first = get(url, token(P1, "AI"), "Range", "bytes=0-999");
        HttpResponse<byte[]> rest = get(url, token(P1, "AI"), "Range", "bytes=1000-");
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(rest.statusCode()).isEqualTo(206);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(first.body());
        joined.write(rest.body());
        assertThat(joined.toByteArray()).isEqualTo(whole);
        // Provenance for the exported studies
        assertThat(fhirSearch("/fhir/Provenance?target=ImagingStudy/" + pseudo(P1, studies.get("b1").studyUid()),
                token(P1, "AI")).getEntry()).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private URI createExport(String platform, UUID cohort) throws Exception {
        HttpResponse<byte[]> created = post("/ai/cohorts/" + cohort + "/exports", token(platform, "AI"));
        assertThat(created.statusCode()).isEqualTo(202);
        return URI.create(created.headers().firstValue("Location").orElseThrow());
    }

    private JsonNode awaitDone(URI location) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = json(get(location.getPath(), token(P1, "AI")));
            return !Set.of("queued", "running").contains(last[0].path("state").asText());
        });
        return last[0];
    }

    /** Audit records of studies exported: purpose AI, platform 1 as requester, success. */
    private int exportRecords() {
        return new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_event where event_type = 'AI-EXPORT'"
                + " and purpose = 'AI' and organisation = ? and outcome = 'Success'", Integer.class, P1);
    }

    private static List<String> fileNames(JsonNode status) {
        List<String> names = new ArrayList<>();
        status.path("files").forEach(f -> names.add(f.path("file").asText()));
        return names;
    }

    private static JsonNode find(JsonNode studies, String uid) {
        for (JsonNode s : studies) {
            if (uid.equals(s.path("0020000D").path("Value").path(0).asText())) {
                return s;
            }
        }
        throw new AssertionError("study not found");
    }

    private static List<String> uids(JsonNode studies) {
        List<String> out = new ArrayList<>();
        studies.forEach(s -> out.add(s.path("0020000D").path("Value").path(0).asText()));
        return out;
    }

    private static JsonNode json(HttpResponse<byte[]> answer) throws IOException {
        assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private Bundle fhirSearch(String path, String token) throws Exception {
        HttpResponse<byte[]> answer = get(path, token, "Accept", "application/fhir+json");
        assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
        return ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, new String(answer.body()));
    }

    static String token(String ura, String purpose) {
        var claims = Tokens.claims(Instant.now()).jwtID(UUID.randomUUID().toString());
        claims = Tokens.withIua(claims, IuaClaims.SUBJECT_ORGANIZATION_ID, "urn:oid:2.16.528.1.1007.3.3." + ura);
        claims = Tokens.withIua(claims, IuaClaims.PURPOSE_OF_USE, List.of(Tokens.coding(
                "AI".equals(purpose) ? IuaClaims.BEELDBRUG_PURPOSE : IuaClaims.ACT_REASON, purpose)));
        return Tokens.bearer(Tokens.sign(ISSUER_KEY, JWSAlgorithm.ES256, claims.build()));
    }

    private HttpResponse<byte[]> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", token).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Runs one request and checks it left exactly one audit record of that transaction. */
    private synchronized <T> T once(String transaction, java.util.concurrent.Callable<T> request) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String count = "select count(*) from audit_event where event_type like '%" + transaction + "%'";
        int before = jdbc.queryForObject(count, Integer.class);
        T result = request.call();
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(count, Integer.class) > before);
        assertThat(jdbc.queryForObject(count, Integer.class)).as("audit records of one request").isEqualTo(before + 1);
        return result;
    }
}
