package nl.beeldbrug.gateway.ai;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Fixtures;
import nl.beeldbrug.adapters.dicom.testing.OrthancPeer;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import nl.beeldbrug.gateway.bridge.TestStudies;
import nl.beeldbrug.gateway.bridge.TestStudies.Patient;
import nl.beeldbrug.gateway.bridge.TestStudies.Study;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.gateway.fhir.R4Validation;
import nl.beeldbrug.gateway.fhir.consent.ConsentMapper;
import nl.beeldbrug.gateway.security.IuaClaims;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.ai.CohortStore;
import nl.beeldbrug.registry.ai.PlatformKey;
import nl.beeldbrug.registry.ai.PlatformPseudonyms;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * AI cohort request end to end (issue 7): a hospital's Orthanc as the source archive, its studies published by the
 * bridge, AI consents recorded through FHIR Consent, and two AI platforms asking {@code ImagingStudy/$ai-cohort} with
 * IUA tokens (purpose AI). A patient without an AI consent for the platform is in no entry, no exclusion and no count;
 * a consent for another platform or for TREAT does not count; a consent for the platform type does; the gate excludes
 * an incomplete study (an instance deleted from Orthanc after publication), one without Body Part Examined, one with
 * burned-in annotation and one rejected by an IOCM rejection note, each with its reason.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.bridge.ae-title=BEELDBRUG",
        "beeldbrug.bridge.publishing.bind-address=127.0.0.1",
        "beeldbrug.security.tokens.enabled=true",
        "beeldbrug.security.tokens.audiences[0]=" + AiCohortIT.AUDIENCE,
        "beeldbrug.security.consent-registrars[0]=" + AiCohortIT.REGISTRAR})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AiCohortIT {

    static final String ISSUER = "https://sts.ai.test";
    static final String AUDIENCE = "https://beeldbrug.ai.test";
    static final String REGISTRAR = "55555555";
    static final String PLATFORM = "70000001";
    static final String OTHER_PLATFORM = "70000002";
    static final String HOSPITAL_URA = "12000002";
    private static final Duration WITHIN = Duration.ofSeconds(90);
    /** AI consent for the organisation type ai-platform. */
    private static final String TYPE_CONSENT = "999990019";
    /** No consent at all. */
    private static final String NO_CONSENT = "999990020";
    /** AI consent for the other platform only, and a TREAT permit for everyone. */
    private static final String OTHER_ONLY = "999990032";
    /** AI consent naming the platform: its studies show each gate rule. */
    private static final String PLATFORM_CONSENT = "999990044";
    private static final RSAKey KEY = key();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static Path tmp;
    private static OrthancPeer hospital;
    private static byte[] platformKey;
    private static byte[] otherPlatformKey;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        FreshDatabase.register(registry, "it-ai-postgres");
        tmp = Files.createTempDirectory(Path.of("target"), "ai-it");
        Path jwks = tmp.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(KEY.toPublicJWK()).toString());
        registry.add("beeldbrug.security.tokens.issuers[0].id", () -> ISSUER);
        registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", jwks::toString);
        platformKey = randomKey();
        otherPlatformKey = randomKey();
        Path keyFile = tmp.resolve("platform.key");
        Path otherKeyFile = tmp.resolve("other-platform.key");
        Files.writeString(keyFile, Base64.getEncoder().encodeToString(platformKey));
        Files.writeString(otherKeyFile, Base64.getEncoder().encodeToString(otherPlatformKey));
        registry.add("beeldbrug.ai.platforms[0].ura", () -> PLATFORM);
        registry.add("beeldbrug.ai.platforms[0].name", () -> "Model Lab");
        registry.add("beeldbrug.ai.platforms[0].key-file", keyFile::toString);
        registry.add("beeldbrug.ai.platforms[1].ura", () -> OTHER_PLATFORM);
        registry.add("beeldbrug.ai.platforms[1].name", () -> "Other Lab");
        registry.add("beeldbrug.ai.platforms[1].key-file", otherKeyFile::toString);
        hospital = OrthancPeer.start(tmp.resolve("hospital"), Map.of(), true, List.of());
        // an older study, in the archive before the first poll: later polls (from the watermark) no longer look at it,
        // so an instance deleted after publication stays unnoticed by the bridge
        storescu(add("incomplete", PLATFORM_CONSENT, "CT", "CHEST", "20200512").files());
        registry.add("beeldbrug.bridge.sources[0].id", () -> "hospital");
        registry.add("beeldbrug.bridge.sources[0].ura", () -> HOSPITAL_URA);
        registry.add("beeldbrug.bridge.sources[0].name", () -> "Maasstad Ziekenhuis");
        registry.add("beeldbrug.bridge.sources[0].type", () -> "hospital");
        registry.add("beeldbrug.bridge.sources[0].detection.mode", () -> "QIDO");
        registry.add("beeldbrug.bridge.sources[0].detection.interval", () -> "500ms");
        registry.add("beeldbrug.bridge.sources[0].detection.stable-after", () -> "2s");
        registry.add("beeldbrug.bridge.sources[0].dicomweb.base-url", () -> hospital.baseUrl() + "/dicom-web/");
        registry.add("beeldbrug.bridge.publishing.spool-dir", () -> tmp.resolve("spool").toString());
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @AfterAll
    void stop() {
        hospital.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    @Autowired
    CohortStore cohorts;

    private final HttpClient http = HttpClient.newHttpClient();
    private static final TestStudies STUDIES = new TestStudies(Path.of("target", "ai-it-files-" + ProcessHandle.current().pid()));
    private static final Map<String, Study> byName = new LinkedHashMap<>();

    @BeforeAll
    void publishStudiesAndRecordConsents() throws Exception {
        Study typeConsent = add("typeConsent", TYPE_CONSENT, "CT", "CHEST", TestStudies.TODAY);
        add("noConsent", NO_CONSENT, "CT", "CHEST", TestStudies.TODAY);
        add("otherOnly", OTHER_ONLY, "CT", "CHEST", TestStudies.TODAY);
        add("good", PLATFORM_CONSENT, "MR", "HEAD", TestStudies.TODAY);
        add("noBodyPart", PLATFORM_CONSENT, "CT", null, TestStudies.TODAY);
        add("burnedIn", PLATFORM_CONSENT, "CT", "CHEST", TestStudies.TODAY, "-i", "(0028,0301)=YES");
        Study rejected = add("rejected", PLATFORM_CONSENT, "CT", "CHEST", TestStudies.TODAY);
        Study incomplete = byName.get("incomplete");
        List<Path> all = new ArrayList<>();
        byName.values().stream().filter(s -> s != incomplete).forEach(s -> all.addAll(s.files()));
        storescu(all);
        for (Study s : byName.values()) {
            await().atMost(WITHIN).until(() -> manifests(s.studyUid(), "Approved") == 1);
        }
        storescu(List.of(STUDIES.rejectionNote(rejected, rejected.files())));
        await().atMost(WITHIN).until(() -> manifests(rejected.studyUid(), "Approved") == 0
                && manifests(rejected.studyUid(), "Deprecated") == 1);
        String sop = DicomFile.read(incomplete.files().get(0)).dataset()
                .getString(nl.beeldbrug.adapters.dicom.dict.Tag.SOPInstanceUID);
        JsonNode found = hospital.post("/tools/find", "{\"Level\":\"Instance\",\"Query\":{\"SOPInstanceUID\":\"" + sop + "\"}}");
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(hospital.baseUrl() + "/instances/"
                + found.get(0).asText())).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(200);

        postConsent(TYPE_CONSENT, Provision.permit().organisationType(OrganisationType.AI_PLATFORM).purposes(PurposeOfUse.AI).build());
        postConsent(OTHER_ONLY, Provision.permit().organisation(Ura.of(OTHER_PLATFORM)).purposes(PurposeOfUse.AI).build(),
                Provision.permit().purposes(PurposeOfUse.TREAT).build());
        postConsent(PLATFORM_CONSENT, Provision.permit().organisation(Ura.of(PLATFORM)).purposes(PurposeOfUse.AI).build());
        assertThat(typeConsent.studyUid()).isNotBlank();
    }

    private static Study add(String name, String bsn, String modality, String bodyPart, String date, String... dcmodify) {
        Study study = STUDIES.study(Patient.bsnAsPatientId(bsn), "ACC-AI-" + byName.size());
        STUDIES.series(study, modality.equals("MR") ? "MR_small.dcm" : "CT_small.dcm", modality, bodyPart, 2, date, dcmodify);
        byName.put(name, study);
        return study;
    }

    private static void storescu(List<Path> files) {
        List<String> cmd = new ArrayList<>(List.of(Peers.require("storescu", "dcmtk"), "-aet", "LOADER", "-aec", "ORTHANC",
                "127.0.0.1", Integer.toString(hospital.dicomPort())));
        files.forEach(f -> cmd.add(f.toString()));
        Peers.run(cmd.toArray(String[]::new));
    }

    private int manifests(String studyUid, String status) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select count(*) from registry_object where object_type = 'DocumentEntry'"
                    + " and study_role = 'manifest' and study_instance_uid = ? and status = ?")) {
                ps.setString(1, studyUid);
                ps.setString(2, status);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    private void postConsent(String bsn, Provision... provisions) throws Exception {
        Consent consent = new ConsentMapper().toConsent(new ConsentRecord("x", Bsn.of(bsn), ConsentStatus.ACTIVE,
                Instant.now().minusSeconds(60), List.of(provisions)), 1);
        consent.setId((String) null);
        consent.setMeta(null);
        HttpResponse<String> response = post("Consent", FHIR.newJsonParser().encodeResourceToString(consent), REGISTRAR, "TREAT");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    // ---------------------------------------------------------------- the tests

    @Test
    void thePlatformGetsItsConsentedValidStudiesAndAReasonForEveryExcludedOne() {
        HttpResponse<String> response = cohort(PLATFORM, "AI", new Parameters()
                .addParameter("organization", new org.hl7.fhir.r4.model.Identifier().setSystem(FhirNaming.URA).setValue(HOSPITAL_URA)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = parse(response.body());
        R4Validation.assertValid(bundle);
        PlatformPseudonyms pseudonyms = new PlatformPseudonyms(PlatformKey.of(platformKey));

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(studiesIn(bundle).stream().map(s -> s.getIdElement().getIdPart()))
                .containsExactlyInAnyOrder(pseudo(pseudonyms, "typeConsent"), pseudo(pseudonyms, "good"));
        Map<String, String> excluded = exclusionsIn(bundle);
        assertThat(excluded).containsOnly(
                Map.entry(pseudo(pseudonyms, "noBodyPart"), "MISSING_ATTRIBUTE"),
                Map.entry(pseudo(pseudonyms, "burnedIn"), "BURNED_IN_ANNOTATION"),
                Map.entry(pseudo(pseudonyms, "rejected"), "REJECTED"),
                Map.entry(pseudo(pseudonyms, "incomplete"), "INCOMPLETE"));

        ImagingStudy good = studiesIn(bundle).stream()
                .filter(s -> s.getIdElement().getIdPart().equals(pseudo(pseudonyms, "good"))).findFirst().orElseThrow();
        assertThat(good.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + pseudo(pseudonyms, "good"));
        assertThat(good.getSubject().getDisplay()).isEqualTo(pseudonyms.patientPseudonym(PLATFORM_CONSENT));
        assertThat(good.getModality()).extracting(Coding::getCode).containsExactly("MR");
        assertThat(good.getNumberOfInstances()).isEqualTo(2);
        assertThat(good.getNumberOfSeries()).isEqualTo(1);
        LocalDate today = LocalDate.parse(TestStudies.TODAY, java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        assertThat(good.getStartedElement().getValueAsString())
                .startsWith(today.plusDays(pseudonyms.dateShiftDays(PLATFORM_CONSENT)).toString());

        String body = response.body();
        for (Study s : byName.values()) {
            assertThat(body).doesNotContain(s.studyUid()).doesNotContain(s.accession());
        }
        for (String name : List.of("noConsent", "otherOnly")) {
            assertThat(body).doesNotContain(pseudo(pseudonyms, name));
        }
        assertThat(body).doesNotContain(TYPE_CONSENT).doesNotContain(NO_CONSENT).doesNotContain(OTHER_ONLY)
                .doesNotContain(PLATFORM_CONSENT).doesNotContain("Beeldbrug^").doesNotContain("Test")
                .doesNotContain("Maasstad").doesNotContain(HOSPITAL_URA);

        UUID cohortId = UUID.fromString(bundle.getIdentifier().getValue());
        assertThat(cohorts.members(cohortId)).extracting(m -> m.pseudoStudyUid())
                .containsExactlyInAnyOrder(pseudo(pseudonyms, "typeConsent"), pseudo(pseudonyms, "good"));
        assertThat(cohorts.exclusions(cohortId)).hasSize(4);
        String stored = Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select string_agg(study_uid || ' ' || coalesce(patient_bsn, ''), ',')"
                    + " from ai_cohort_study")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertThat(stored).doesNotContain(byName.get("noConsent").studyUid()).doesNotContain(byName.get("otherOnly").studyUid());
        assertThat(auditedPurposes(PLATFORM)).contains("AI");
    }

    @Test
    void theOtherPlatformSeesOnlyWhatItsConsentsAllowUnderItsOwnPseudonyms() {
        HttpResponse<String> response = cohort(OTHER_PLATFORM, "AI", new Parameters());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = parse(response.body());
        PlatformPseudonyms other = new PlatformPseudonyms(PlatformKey.of(otherPlatformKey));
        PlatformPseudonyms mine = new PlatformPseudonyms(PlatformKey.of(platformKey));
        assertThat(studiesIn(bundle).stream().map(s -> s.getIdElement().getIdPart()))
                .containsExactlyInAnyOrder(pseudo(other, "typeConsent"), pseudo(other, "otherOnly"));
        assertThat(exclusionsIn(bundle)).isEmpty();
        assertThat(pseudo(other, "typeConsent")).isNotEqualTo(pseudo(mine, "typeConsent"));
        assertThat(response.body()).doesNotContain(pseudo(other, "good")).doesNotContain(pseudo(other, "noConsent"));
    }

    @Test
    void criteriaNarrowTheCohort() {
        PlatformPseudonyms pseudonyms = new PlatformPseudonyms(PlatformKey.of(platformKey));
        Bundle head = parse(cohort(PLATFORM, "AI", new Parameters()
                .addParameter("bodySite", new Coding(FhirNaming.SNOMED, "69536005", null))).body());
        assertThat(studiesIn(head).stream().map(s -> s.getIdElement().getIdPart())).containsExactly(pseudo(pseudonyms, "good"));
        assertThat(exclusionsIn(head)).isEmpty();
        Bundle mr = parse(cohort(PLATFORM, "AI", new Parameters().addParameter("modality", new org.hl7.fhir.r4.model.CodeType("MR"))).body());
        assertThat(studiesIn(mr).stream().map(s -> s.getIdElement().getIdPart())).containsExactly(pseudo(pseudonyms, "good"));
        Bundle limb = parse(cohort(PLATFORM, "AI", new Parameters()
                .addParameter("bodySite", new Coding(AiCohortOperation.REGION_SYSTEM, "lower-limb", null))).body());
        assertThat(studiesIn(limb)).isEmpty();
        Bundle old = parse(cohort(PLATFORM, "AI", new Parameters().addParameter("start", new org.hl7.fhir.r4.model.DateType("2020-01-01"))
                .addParameter("end", new org.hl7.fhir.r4.model.DateType("2020-12-31"))).body());
        assertThat(studiesIn(old)).isEmpty();
        assertThat(exclusionsIn(old)).containsOnlyKeys(pseudo(pseudonyms, "incomplete"));
        Bundle one = parse(cohort(PLATFORM, "AI", new Parameters().addParameter("max", 1)).body());
        assertThat(studiesIn(one)).hasSize(1);
    }

    @Test
    void onlyAConfiguredPlatformAskingForAiIsServed() {
        HttpResponse<String> treat = cohort(PLATFORM, "TREAT", new Parameters());
        assertThat(treat.statusCode()).isEqualTo(403);
        assertThat(treat.body()).contains("OperationOutcome");
        HttpResponse<String> hospitalAsking = cohort(HOSPITAL_URA, "AI", new Parameters());
        assertThat(hospitalAsking.statusCode()).isEqualTo(403);
        assertThat(hospitalAsking.body()).contains("OperationOutcome").doesNotContain("ImagingStudy\"");
    }

    @Test
    void thePlatformRetrievesItsCohortThroughDicomwebAsTheCohortRequestNamedIt() throws Exception {
        // the cohort request as the platform makes it
        HttpResponse<String> response = cohort(PLATFORM, "AI", new Parameters());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = parse(response.body());
        Map<String, String> patientOf = new TreeMap<>(); // pseudonymous study UID → patient pseudonym, from the Bundle
        studiesIn(bundle).forEach(s -> patientOf.put(s.getIdElement().getIdPart(), s.getSubject().getDisplay()));
        PlatformPseudonyms pseudonyms = new PlatformPseudonyms(PlatformKey.of(platformKey));
        assertThat(patientOf).containsOnlyKeys(pseudo(pseudonyms, "typeConsent"), pseudo(pseudonyms, "good"));
        assertThat(patientOf.values()).doesNotContainNull().doesNotContain("");

        // QIDO-RS finds exactly the Bundle's studies, with the Bundle's patient pseudonyms
        HttpResponse<byte[]> qido = dicomweb("/ai/dicomweb/studies");
        assertThat(qido.statusCode()).as(new String(qido.body())).isEqualTo(200);
        Map<String, String> found = new TreeMap<>();
        new ObjectMapper().readTree(qido.body()).forEach(s -> found.put(s.path("0020000D").path("Value").path(0).asText(),
                s.path("00100020").path("Value").path(0).asText()));
        assertThat(found).isEqualTo(patientOf);

        // WADO-RS returns every instance stored into Orthanc, de-identified, pixel data unchanged
        for (String name : List.of("typeConsent", "good")) {
            Study study = byName.get(name);
            String pseudoUid = pseudo(pseudonyms, name);
            Map<String, String> expectedPixels = new TreeMap<>(); // pseudonymous SOP UID → pixel hash of the stored file
            Set<String> originalUids = new TreeSet<>();
            for (Path f : study.files()) {
                Attributes ds = DicomFile.read(f).dataset();
                expectedPixels.put(pseudonyms.uid(ds.getString(Tag.SOPInstanceUID)), Fixtures.pixelHash(f));
                originalUids.addAll(List.of(ds.getString(Tag.StudyInstanceUID), ds.getString(Tag.SeriesInstanceUID),
                        ds.getString(Tag.SOPInstanceUID)));
            }
            assertThat(expectedPixels).as("instances stored into Orthanc for %s", name).hasSize(2);
            HttpResponse<byte[]> wado = dicomweb("/ai/dicomweb/studies/" + pseudoUid);
            assertThat(wado.statusCode()).isEqualTo(200);
            List<byte[]> parts = Multipart.parts(wado.headers().firstValue("Content-Type").orElseThrow(), wado.body());
            assertThat(parts).hasSameSizeAs(study.files());
            Map<String, String> gotPixels = new TreeMap<>();
            for (byte[] part : parts) {
                // the byte search finds what is there, so its misses below mean something
                assertThat(Multipart.contains(part, pseudoUid)).as("pseudonymous study UID in the bytes").isTrue();
                for (String original : originalUids) {
                    assertThat(Multipart.contains(part, original)).as("original UID %s in the output", original).isFalse();
                }
                String bsn = study.patient().localId();
                assertThat(Multipart.contains(part, bsn)).as("BSN in the output").isFalse();
                assertThat(Multipart.contains(part, "Test^Beeldbrug")).as("name in the output").isFalse();
                Path f = Files.createTempFile(tmp, "wado", ".dcm");
                Files.write(f, part);
                Attributes ds = DicomFile.read(f).dataset();
                assertThat(ds.getString(Tag.PatientID)).isEqualTo(patientOf.get(pseudoUid));
                assertThat(ds.getString(Tag.StudyInstanceUID)).isEqualTo(pseudoUid);
                gotPixels.put(ds.getString(Tag.SOPInstanceUID), Fixtures.pixelHash(f));
            }
            assertThat(gotPixels).isEqualTo(expectedPixels);
        }

        // an excluded study is unknown to the platform, like any other
        assertThat(exclusionsIn(bundle)).containsKey(pseudo(pseudonyms, "noBodyPart"));
        assertThat(dicomweb("/ai/dicomweb/studies/" + pseudo(pseudonyms, "noBodyPart")).statusCode()).isEqualTo(404);
    }

    // ---------------------------------------------------------------- helpers

    private String pseudo(PlatformPseudonyms pseudonyms, String name) {
        return pseudonyms.uid(byName.get(name).studyUid());
    }

    private static List<ImagingStudy> studiesIn(Bundle bundle) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(ImagingStudy.class::isInstance).map(ImagingStudy.class::cast).toList();
    }

    /** Pseudonymous study UID → reason code. */
    private static Map<String, String> exclusionsIn(Bundle bundle) {
        OperationOutcome outcome = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(OperationOutcome.class::isInstance).map(OperationOutcome.class::cast).findFirst().orElseThrow();
        return outcome.getIssue().stream().filter(i -> i.getDetails().hasCoding())
                .collect(Collectors.toMap(i -> i.getDetails().getText(), i -> i.getDetails().getCodingFirstRep().getCode()));
    }

    private List<String> auditedPurposes(String ura) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select purpose from audit_event where organisation = ?")) {
                ps.setString(1, ura);
                List<String> purposes = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        purposes.add(rs.getString(1));
                    }
                }
                return purposes;
            }
        });
    }

    private static Bundle parse(String body) {
        IParser parser = FHIR.newJsonParser();
        return parser.parseResource(Bundle.class, body);
    }

    private HttpResponse<String> cohort(String ura, String purpose, Parameters parameters) {
        return post("ImagingStudy/$ai-cohort", FHIR.newJsonParser().encodeResourceToString(parameters), ura, purpose);
    }

    private HttpResponse<byte[]> dicomweb(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token(PLATFORM, "AI")).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<String> post(String path, String json, String ura, String purpose) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fhir/" + path))
                    .header("Content-Type", "application/fhir+json").header("Accept", "application/fhir+json")
                    .header("Authorization", "Bearer " + token(ura, purpose))
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token(String ura, String purpose) {
        Map<String, Object> iua = new LinkedHashMap<>();
        iua.put(IuaClaims.SUBJECT_ROLE, List.of(Map.of("system", IuaClaims.UZI_ROLE_SYSTEM, "code", "01.015")));
        iua.put(IuaClaims.PURPOSE_OF_USE, List.of("AI".equals(purpose)
                ? Map.of("system", IuaClaims.BEELDBRUG_PURPOSE, "code", "AI")
                : Map.of("system", IuaClaims.ACT_REASON, "code", "TREAT")));
        iua.put(IuaClaims.SUBJECT_ORGANIZATION_ID, "urn:oid:2.16.528.1.1007.3.3." + ura);
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("user-" + ura).audience(AUDIENCE)
                .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plusSeconds(300)))
                .claim(IuaClaims.EXTENSIONS, Map.of(IuaClaims.IHE_IUA, iua)).build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey key() {
        try {
            return new RSAKeyGenerator(2048).keyID("ai-it").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
