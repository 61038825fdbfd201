package nl.beeldbrug.gateway.fhir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import nl.beeldbrug.gateway.security.IuaClaims;
import nl.beeldbrug.gateway.testing.FreshDatabase;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static nl.beeldbrug.registry.testing.SampleMetadata.STUDY_START;
import static nl.beeldbrug.registry.testing.SampleMetadata.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consent at the FHIR face (issue 6): a denied study, report or document is indistinguishable from one that was
 * never registered. Each scenario has a patient of its own and a requester (an IUA token: organisation, type,
 * purpose); every request of the scenario is answered twice — (a) with the consent denying part of the patient's
 * data, (b) after those documents (with their submission sets and associations) were removed from the store — and
 * the two answers must be equal (status and body, with only the Bundle's id and meta.lastUpdated normalised):
 * results, totals, {@code _summary=count}, paging links and pages, {@code _include}/{@code _revinclude}, 404s.
 * A second requester that the consent does not concern shows that something was actually withheld.
 */
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.fhir.wado-base-url=https://beeldbrug.example/dicomweb",
        "beeldbrug.security.tokens.enabled=true",
        "beeldbrug.security.tokens.audiences[0]=" + ConsentEnforcementIT.AUDIENCE,
        "beeldbrug.consent.organisations[0].ura=" + ConsentEnforcementIT.HOSPITAL,
        "beeldbrug.consent.organisations[0].type=hospital",
        "beeldbrug.consent.organisations[1].ura=" + ConsentEnforcementIT.GP,
        "beeldbrug.consent.organisations[1].type=gp",
        "beeldbrug.consent.organisations[2].ura=" + ConsentEnforcementIT.AI,
        "beeldbrug.consent.organisations[2].type=ai-platform"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsentEnforcementIT {

    static final String ISSUER = "https://sts.consent.test";
    static final String AUDIENCE = "https://beeldbrug.consent.test";
    static final String HOSPITAL = "11111111";
    static final String GP = "22222222";
    static final String AI = "33333333";
    /** A hospital no consent names: sees what the scenarios' requesters may not. */
    static final String OTHER_HOSPITAL = "44444444";
    private static final RSAKey KEY = key();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FreshDatabase.register(registry, "it-consent-postgres");
        try {
            Path jwks = Files.createTempFile(Files.createDirectories(Path.of("target")), "consent-jwks", ".json");
            Files.writeString(jwks, new JWKSet(KEY.toPublicJWK()).toString());
            // one property source holds a whole list element (Spring binds a list from one source)
            registry.add("beeldbrug.security.tokens.issuers[0].id", () -> ISSUER);
            registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", jwks::toString);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    DocumentRepositoryService repository;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    ConsentStore consents;
    @Autowired
    AuditStore audit;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Scenario> scenarios = new ArrayList<>();
    private static int nextBsn = 999991000;

    /** A patient's data, a consent, a requester, and what the consent must hide from that requester. */
    private final class Scenario {
        final String name;
        final SampleMetadata sample;
        final String requester;
        final List<String> studies = new ArrayList<>();
        final List<DocumentEntry> documents = new ArrayList<>();
        final List<DocumentEntry> denied = new ArrayList<>();
        final Map<String, Answer> restricted = new LinkedHashMap<>();
        final Map<String, Answer> unrestricted = new LinkedHashMap<>();
        final Map<String, Answer> absent = new LinkedHashMap<>();
        /** The registered documents' and submission sets' ids (entryUUID without urn:uuid:) and uniqueIds. */
        final List<String> documentIds = new ArrayList<>();
        final List<String> setIds = new ArrayList<>();
        /** Submits its own documents (with folders and relations) instead of one submission set per document. */
        Runnable submissions;

        Scenario(String name, String requester) {
            this.name = name;
            this.sample = SampleMetadata.forPatient(nextBsn());
            this.requester = requester;
        }

        String bsn() {
            return sample.bsn().value();
        }

        /** A study of {@code daysAgo}: its manifest (MR when asked) and, when asked, a report. */
        String study(int daysAgo, boolean manifest, boolean report, boolean mr) {
            String uid = SampleMetadata.newUid();
            studies.add(uid);
            if (manifest) {
                DocumentEntry kos = dated(sample.kos(uid), uid, daysAgo);
                if (mr) {
                    kos.getEventCodeList().clear();
                    kos.getEventCodeList().add(SampleMetadata.MODALITY_MR);
                    kos.getEventCodeList().add(SampleMetadata.REGION_HEAD);
                }
                documents.add(kos);
            }
            if (report) {
                documents.add(dated(sample.report(uid), uid, daysAgo));
            }
            return uid;
        }

        /** The documents of this study (or of every study with a null uid) of this kind to be denied. */
        void deny(String uid, boolean manifests, boolean reports) {
            for (DocumentEntry entry : documents) {
                boolean isManifest = entry.getMimeType().equals("application/dicom");
                boolean ofStudy = uid == null || entry.getReferenceIdList().stream().anyMatch(r -> uid.equals(r.getId()));
                if (ofStudy && (isManifest ? manifests : reports)) {
                    denied.add(entry);
                }
            }
        }

        /** The requests this scenario compares. */
        List<String> requests() {
            String patient = "patient=Patient/" + bsn();
            List<String> requests = new ArrayList<>(List.of(
                    "ImagingStudy?" + patient,
                    "ImagingStudy?" + patient + "&_count=2",
                    "ImagingStudy?" + patient + "&_count=2&_offset=2",
                    "ImagingStudy?" + patient + "&_count=2&_offset=4",
                    "ImagingStudy?" + patient + "&_summary=count",
                    "ImagingStudy?" + patient + "&_include=ImagingStudy:patient&_include=ImagingStudy:endpoint",
                    "ImagingStudy?" + patient + "&_count=2&_include=*",
                    "ImagingStudy?" + patient + "&_revinclude=DocumentReference:related",
                    "ImagingStudy?" + patient + "&_count=1&_offset=1&_revinclude=DocumentReference:related",
                    "ImagingStudy?" + patient + "&status=registered",
                    "ImagingStudy?" + patient + "&status=available&_summary=count",
                    "ImagingStudy?" + patient + "&started=ge2024-02-20&_count=1",
                    "ImagingStudy?" + patient + "&modality=CT",
                    "ImagingStudy?" + patient + "&modality=MR&_summary=count",
                    "ImagingStudy?patient.identifier=" + FhirNaming.BSN + "|" + bsn() + "&_has=DocumentReference:related:status=current",
                    "Patient/" + bsn(),
                    "Patient?identifier=" + FhirNaming.BSN + "|" + bsn(),
                    "Patient?identifier=" + FhirNaming.BSN + "|" + bsn() + "&_summary=count",
                    "Patient/" + bsn() + "/$timeline"));
            requests.addAll(List.of(
                    "DocumentReference?" + patient,
                    "DocumentReference?" + patient + "&_count=2",
                    "DocumentReference?" + patient + "&_count=2&_offset=2",
                    "DocumentReference?" + patient + "&_summary=count",
                    "DocumentReference?" + patient + "&status=current&_count=3&_offset=3",
                    "DocumentReference?" + patient + "&_has:List:item:status=current",
                    "List?" + patient,
                    "List?" + patient + "&_count=2",
                    "List?" + patient + "&_count=2&_offset=2",
                    "List?" + patient + "&code=submissionset&_summary=count",
                    "List?" + patient + "&code=folder",
                    "List?" + patient + "&code=folder&_summary=count",
                    "List?" + patient + "&_has:DocumentReference:related:status=current"));
            for (String id : documentIds) {
                requests.add("DocumentReference/" + id);
                requests.add("DocumentReference?_id=" + id);
            }
            for (DocumentEntry entry : documents) {
                requests.add("Binary/" + entry.getUniqueId());
                requests.add("DocumentReference?identifier=urn:oid:" + entry.getUniqueId());
            }
            for (String id : setIds) {
                requests.add("List/" + id);
            }
            for (String uid : studies) {
                requests.add("DocumentReference?" + patient + "&related=ImagingStudy/" + uid);
                requests.add("ImagingStudy/" + uid);
                requests.add("ImagingStudy?identifier=urn:oid:" + uid);
                requests.add("ImagingStudy?identifier=urn:oid:" + uid + "&_revinclude=DocumentReference:related");
                requests.add("ImagingStudy?identifier=" + "ACC" + Math.abs(uid.hashCode() % 1000000) + "&_summary=count");
            }
            return requests;
        }
    }

    private static Bsn nextBsn() {
        while (!Bsn.isValid(String.valueOf(nextBsn))) {
            nextBsn++;
        }
        return Bsn.of(String.valueOf(nextBsn++));
    }

    private static DocumentEntry dated(DocumentEntry entry, String uid, int daysAgo) {
        entry.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        entry.getReferenceIdList().add(0, new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.setServiceStartTime(time(STUDY_START.minusDays(3L * daysAgo)));
        return entry;
    }

    @BeforeAll
    void seedAskRemoveAskAgain() {
        // deny by organisation type: GPs may see the reports but not the images
        Scenario byType = new Scenario("deny by organisation type", GP);
        for (int i = 0; i < 4; i++) {
            byType.study(i, true, i != 1, i % 2 == 0);
        }
        byType.deny(null, true, false);
        consent(byType, Provision.deny().organisationType(OrganisationType.GP).dataClasses(DataClass.IMAGING_STUDY).build());
        scenarios.add(byType);

        // a study-specific deny inside a general permit: two of five studies, images and reports
        Scenario studyDeny = new Scenario("study deny inside a general permit", HOSPITAL);
        for (int i = 0; i < 5; i++) {
            studyDeny.study(i, true, true, i == 3);
        }
        studyDeny.deny(studyDeny.studies.get(1), true, true);
        studyDeny.deny(studyDeny.studies.get(3), true, true);
        consent(studyDeny, Provision.permit().build(),
                Provision.deny().organisation(Ura.of(HOSPITAL)).studies(studyDeny.studies.get(1), studyDeny.studies.get(3)).build());
        scenarios.add(studyDeny);

        // only the reports are denied: a study whose only document is its report disappears
        Scenario reportDeny = new Scenario("report-only deny", HOSPITAL);
        reportDeny.study(0, true, true, true);
        reportDeny.study(1, false, true, false);
        reportDeny.study(2, true, true, false);
        reportDeny.study(3, true, false, false);
        reportDeny.deny(null, false, true);
        consent(reportDeny, Provision.deny().organisation(Ura.of(HOSPITAL)).dataClasses(DataClass.REPORT).build());
        scenarios.add(reportDeny);

        // AI without any consent: nothing at all
        Scenario ai = new Scenario("AI purpose without consent", AI);
        for (int i = 0; i < 3; i++) {
            ai.study(i, true, i > 0, false);
        }
        ai.deny(null, true, true);
        scenarios.add(ai);

        scenarios.add(mhdRelationsAndFolders());

        for (Scenario scenario : scenarios) {
            Database.inTransaction(dataSource, t -> patients.add(t, scenario.sample.bsn()));
            if (scenario.submissions != null) {
                scenario.submissions.run();
                continue;
            }
            for (DocumentEntry entry : scenario.documents) {
                provide(scenario.sample, entry); // one submission set per document: removing it removes its set
            }
        }
        for (Scenario scenario : scenarios) {
            for (DocumentEntry entry : scenario.documents) {
                String[] ids = ids(entry);
                scenario.documentIds.add(ids[0]);
                if (scenario.submissions == null) {
                    scenario.setIds.add(ids[1]);
                }
            }
            if (scenario.submissions != null) {
                scenario.setIds.addAll(lists(scenario.bsn()));
            }
        }
        for (Scenario scenario : scenarios) {
            for (String request : scenario.requests()) {
                scenario.restricted.put(request, ask(request, scenario.requester, purposeOf(scenario.requester)));
                scenario.unrestricted.put(request, ask(request, OTHER_HOSPITAL, "TREAT"));
            }
        }
        for (Scenario scenario : scenarios) {
            scenario.denied.forEach(this::remove);
        }
        for (Scenario scenario : scenarios) {
            for (String request : scenario.requests()) {
                scenario.absent.put(request, ask(request, scenario.requester, purposeOf(scenario.requester)));
            }
        }
    }

    /**
     * MHD (ITI-66/67): a study denied to the hospital has two reports and an image manifest. A permitted report
     * appends to the first denied report (relatesTo); a submission set brings a permitted manifest and a folder
     * holding only the denied manifest; another brings a folder holding a permitted manifest and the second
     * denied report.
     */
    private Scenario mhdRelationsAndFolders() {
        Scenario mhd = new Scenario("MHD relations and folders", HOSPITAL);
        SampleMetadata sample = mhd.sample;
        String hidden = SampleMetadata.newUid();
        String shown = SampleMetadata.newUid();
        String shownToo = SampleMetadata.newUid();
        mhd.studies.addAll(List.of(hidden, shown, shownToo));
        DocumentEntry deniedReport = dated(sample.report(hidden), hidden, 0);
        DocumentEntry deniedManifest = dated(sample.kos(hidden), hidden, 0);
        DocumentEntry deniedReportToo = dated(sample.report(hidden), hidden, 0);
        DocumentEntry appendix = dated(sample.report(shown), shown, 1);
        DocumentEntry shownManifest = dated(sample.kos(shown), shown, 1);
        DocumentEntry shownTooManifest = dated(sample.kos(shownToo), shownToo, 2);
        mhd.documents.addAll(List.of(deniedReport, deniedManifest, deniedReportToo, appendix, shownManifest, shownTooManifest));
        mhd.deny(hidden, true, true);
        consent(mhd, Provision.deny().organisation(Ura.of(HOSPITAL)).studies(hidden).build());
        mhd.submissions = () -> {
            provide(sample, deniedReport);
            ProvideAndRegisterDocumentSet appending = sample.provideAndRegister(sample.submissionSet(), appendix);
            appending.getAssociations().add(sample.association(AssociationType.APPEND, appendix.getEntryUuid(),
                    "urn:uuid:" + ids(deniedReport)[0]));
            provide(appending);
            provide(withFolder(sample, sample.provideAndRegister(sample.submissionSet(), shownManifest, deniedManifest), deniedManifest));
            provide(withFolder(sample, sample.provideAndRegister(sample.submissionSet(), shownTooManifest, deniedReportToo),
                    shownTooManifest, deniedReportToo));
        };
        return mhd;
    }

    /** The request with a folder (submitted with its set) holding {@code members}. */
    private static ProvideAndRegisterDocumentSet withFolder(SampleMetadata sample, ProvideAndRegisterDocumentSet request,
                                                            DocumentEntry... members) {
        RegisterDocumentSet registration = new RegisterDocumentSet();
        registration.setSubmissionSet(request.getSubmissionSet());
        registration.getAssociations().addAll(request.getAssociations());
        sample.addFolder(registration, members);
        request.getFolders().addAll(registration.getFolders());
        request.getAssociations().clear();
        request.getAssociations().addAll(registration.getAssociations());
        return request;
    }

    /** The FHIR ids of a patient's submission sets and folders. */
    private List<String> lists(String bsn) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select entry_uuid from registry_object where patient_bsn = ?"
                    + " and object_type in ('SubmissionSet', 'Folder') order by entry_uuid")) {
                ps.setString(1, bsn);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1).substring("urn:uuid:".length()));
                    }
                }
                return ids;
            }
        });
    }

    private static String purposeOf(String requester) {
        return AI.equals(requester) ? "AI" : "TREAT";
    }

    private void consent(Scenario scenario, Provision... provisions) {
        consents.create(new ConsentRecord(ConsentStore.newId(), scenario.sample.bsn(), ConsentStatus.ACTIVE,
                Instant.now().minusSeconds(60), List.of(provisions)));
    }

    /** ITI-41 as the repository service does it (the SOAP endpoint wants a token too). */
    private void provide(SampleMetadata sample, DocumentEntry entry) {
        provide(sample.provideAndRegister(sample.submissionSet(), entry));
    }

    private void provide(ProvideAndRegisterDocumentSet request) {
        try {
            repository.provideAndRegister(request);
        } catch (XdsException e) {
            throw new AssertionError("ITI-41 refused", e);
        }
    }

    /** The FHIR ids of a registered document and of its submission set. */
    private String[] ids(DocumentEntry entry) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select d.entry_uuid, a.source_uuid from registry_object d"
                    + " join association a on a.target_uuid = d.entry_uuid where d.unique_id = ? and d.object_type = 'DocumentEntry'")) {
                ps.setString(1, entry.getUniqueId());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    return new String[]{rs.getString(1).substring("urn:uuid:".length()), rs.getString(2).substring("urn:uuid:".length())};
                }
            }
        });
    }

    /**
     * As if the document had never been registered: its row, content and associations go (with the submission set
     * HasMember of a folder membership), and so does every submission set or folder that had it as a member and
     * is left without any document.
     */
    private void remove(DocumentEntry entry) {
        Database.inTransaction(dataSource, c -> {
            String uuid;
            try (PreparedStatement ps = c.prepareStatement("select entry_uuid from registry_object where unique_id = ?"
                    + " and object_type = 'DocumentEntry'")) {
                ps.setString(1, entry.getUniqueId());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    uuid = rs.getString(1);
                }
            }
            List<String> containers = strings(c, "select source_uuid from association where target_uuid = ?"
                    + " and association_type = 'HAS_MEMBER'", uuid);
            dropObject(c, uuid);
            for (String container : containers) {
                if (strings(c, "select a.entry_uuid from association a join registry_object d on d.entry_uuid = a.target_uuid"
                        + " where a.source_uuid = ? and a.association_type = 'HAS_MEMBER' and d.object_type = 'DocumentEntry'",
                        container).isEmpty()) {
                    dropObject(c, container);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("delete from document_content where document_unique_id = ?")) {
                ps.setString(1, entry.getUniqueId());
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** Deletes a registry object, its associations and the associations that have one of those as target. */
    private static void dropObject(java.sql.Connection c, String uuid) throws java.sql.SQLException {
        List<String> associations = strings(c, "select entry_uuid from association where source_uuid = ? or target_uuid = ?", uuid);
        String[] ids = associations.toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement("delete from association where entry_uuid = any(?) or target_uuid = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", ids));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("delete from registry_object where entry_uuid = ?")) {
            ps.setString(1, uuid);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /** The first column of a query whose every parameter is {@code value}. */
    private static List<String> strings(java.sql.Connection c, String sql, String value) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                ps.setString(i, value);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }
    }

    // ---------------------------------------------------------------- asking

    record Answer(int status, String body) {
    }

    private Answer ask(String path, String ura, String purpose) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/fhir/" + path.replace("|", "%7C")))
                    .header("Accept", "application/fhir+json")
                    .header("Authorization", "Bearer " + token(ura, purpose)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), normalised(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body without what differs between any two answers (the Bundle's id, meta.lastUpdated). */
    static String normalised(String body) {
        if (body == null || body.isEmpty() || !body.startsWith("{")) {
            return body;
        }
        try {
            JsonNode node = JSON.readTree(body);
            strip(node);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if ("Bundle".equals(object.path("resourceType").asText())) {
                object.remove("id");
                object.remove("timestamp");
            }
            if (object.get("meta") instanceof ObjectNode meta) {
                meta.remove("lastUpdated");
                if (meta.isEmpty()) {
                    object.remove("meta");
                }
            }
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                strip(it.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ConsentEnforcementIT::strip);
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
            return new RSAKeyGenerator(2048).keyID("consent-it").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- the comparisons

    private Scenario scenario(String name) {
        return scenarios.stream().filter(s -> s.name.equals(name)).findFirst().orElseThrow();
    }

    private void deniedIsAbsent(Scenario scenario) {
        assertThat(scenario.denied).as("the scenario denies something").isNotEmpty();
        for (String request : scenario.requests()) {
            assertThat(scenario.restricted.get(request)).as("%s: %s", scenario.name, request)
                    .isEqualTo(scenario.absent.get(request));
        }
        // the consent did withhold something from this requester that a requester it does not concern sees
        assertThat(scenario.requests()).anySatisfy(r ->
                assertThat(scenario.unrestricted.get(r)).isNotEqualTo(scenario.restricted.get(r)));
    }

    @Test
    void denyByOrganisationType() {
        Scenario scenario = scenario("deny by organisation type");
        deniedIsAbsent(scenario);
        // only the three reports are left: registered studies, no Endpoint
        assertThat(scenario.restricted.get("ImagingStudy?patient=Patient/" + scenario.bsn() + "&_summary=count").body())
                .contains("\"total\" : 3");
        assertThat(scenario.unrestricted.get("ImagingStudy?patient=Patient/" + scenario.bsn() + "&_summary=count").body())
                .contains("\"total\" : 4");
        assertThat(scenario.restricted.get("ImagingStudy?patient=Patient/" + scenario.bsn() + "&status=registered").body())
                .contains("\"total\" : 3");
    }

    @Test
    void studyDenyInsideAGeneralPermit() {
        Scenario scenario = scenario("study deny inside a general permit");
        deniedIsAbsent(scenario);
        String denied = scenario.studies.get(1);
        assertThat(scenario.restricted.get("ImagingStudy/" + denied).status()).isEqualTo(404);
        assertThat(scenario.unrestricted.get("ImagingStudy/" + denied).status()).isEqualTo(200);
        Answer firstPage = scenario.restricted.get("ImagingStudy?patient=Patient/" + scenario.bsn() + "&_count=2");
        assertThat(firstPage.body()).contains("\"total\" : 3").contains("_offset=2").doesNotContain(denied);
        assertThat(scenario.restricted.get("ImagingStudy?patient=Patient/" + scenario.bsn() + "&_count=2&_offset=2").body())
                .doesNotContain("\"next\"");
    }

    @Test
    void reportOnlyDeny() {
        Scenario scenario = scenario("report-only deny");
        deniedIsAbsent(scenario);
        String reportOnly = scenario.studies.get(1);
        assertThat(scenario.restricted.get("ImagingStudy/" + reportOnly).status()).isEqualTo(404);
        String revinclude = "ImagingStudy?patient=Patient/" + scenario.bsn() + "&_revinclude=DocumentReference:related";
        assertThat(scenario.restricted.get(revinclude).body()).contains("\"total\" : 3").doesNotContain("application/pdf");
        assertThat(scenario.unrestricted.get(revinclude).body()).contains("\"total\" : 4").contains("application/pdf");
        String documents = "DocumentReference?patient=Patient/" + scenario.bsn() + "&_summary=count";
        assertThat(scenario.restricted.get(documents).body()).contains("\"total\" : 3");
        assertThat(scenario.unrestricted.get(documents).body()).contains("\"total\" : 6");
        assertThat(scenario.restricted.get("List?patient=Patient/" + scenario.bsn() + "&code=submissionset&_summary=count").body())
                .contains("\"total\" : 3");
        DocumentEntry report = scenario.denied.get(0);
        assertThat(scenario.restricted.get("Binary/" + report.getUniqueId()).status()).isEqualTo(404);
        assertThat(scenario.unrestricted.get("Binary/" + report.getUniqueId()).status()).isEqualTo(200);
    }

    @Test
    void aiWithoutConsentSeesNothing() {
        Scenario scenario = scenario("AI purpose without consent");
        deniedIsAbsent(scenario);
        assertThat(scenario.restricted.get("Patient/" + scenario.bsn()).status()).isEqualTo(404);
        assertThat(scenario.restricted.get("Patient/" + scenario.bsn() + "/$timeline").status()).isEqualTo(404);
        assertThat(scenario.restricted.get("ImagingStudy?patient=Patient/" + scenario.bsn() + "&_summary=count").body())
                .contains("\"total\" : 0");
        // the very 404 of a patient and a study that were never registered
        Answer unknownPatient = ask("Patient/999999989", AI, "AI");
        assertThat(scenario.restricted.get("Patient/" + scenario.bsn())).isEqualTo(unknownPatient);
        assertThat(scenario.restricted.get("ImagingStudy/" + scenario.studies.get(0))).isEqualTo(ask("ImagingStudy/1.2.3.404", AI, "AI"));
    }

    @Test
    void mhdRelationsAndFoldersNameNoDeniedDocument() {
        Scenario scenario = scenario("MHD relations and folders");
        deniedIsAbsent(scenario);
        String deniedReport = scenario.documentIds.get(0);
        String appendix = "DocumentReference/" + scenario.documentIds.get(3);
        assertThat(scenario.unrestricted.get(appendix).body()).contains("relatesTo").contains(deniedReport);
        assertThat(scenario.restricted.get(appendix).body()).doesNotContain("relatesTo").doesNotContain(deniedReport);
        String folders = "List?patient=Patient/" + scenario.bsn() + "&code=folder&_summary=count";
        assertThat(scenario.unrestricted.get(folders).body()).contains("\"total\" : 2");
        assertThat(scenario.restricted.get(folders).body()).contains("\"total\" : 1");
        String sets = "List?patient=Patient/" + scenario.bsn() + "&code=submissionset&_summary=count";
        assertThat(scenario.restricted.get(sets).body()).contains("\"total\" : 3");
        assertThat(scenario.unrestricted.get(sets).body()).contains("\"total\" : 4");
        // the folder of only denied documents is named by no answer, and its read is a 404
        List<String> hiddenFolders = scenario.setIds.stream()
                .filter(id -> scenario.restricted.get("List/" + id).status() == 404
                        && scenario.unrestricted.get("List/" + id).body().contains("\"code\" : \"folder\""))
                .toList();
        assertThat(hiddenFolders).hasSize(1);
        assertThat(scenario.restricted.values()).noneSatisfy(answer -> assertThat(answer.body()).contains(hiddenFolders.get(0)));
        assertThat(scenario.unrestricted.get("List?patient=Patient/" + scenario.bsn()).body()).contains(hiddenFolders.get(0));
    }

    @Test
    void hasIsRefusedEverywhere() {
        Scenario scenario = scenario("study deny inside a general permit");
        for (String path : List.of(
                "ImagingStudy?patient=" + scenario.bsn() + "&_has=DocumentReference:related:status=current",
                "Patient?identifier=" + FhirNaming.BSN + "|" + scenario.bsn() + "&_has:ImagingStudy:patient:status=available",
                "Patient/" + scenario.bsn() + "?_has:ImagingStudy:patient:status=available")) {
            assertThat(ask(path, HOSPITAL, "TREAT").status()).as(path).isEqualTo(400);
        }
    }

    @Test
    void hasIsRefusedForMhdToo() {
        Scenario scenario = scenario("report-only deny");
        for (String path : List.of(
                "DocumentReference?patient=" + scenario.bsn() + "&_has:List:item:status=current",
                "List?patient=" + scenario.bsn() + "&_has:DocumentReference:related:status=current")) {
            assertThat(ask(path, HOSPITAL, "TREAT").status()).as(path).isEqualTo(400);
        }
    }

    @Test
    void oneAuditRecordPerRequest() {
        Scenario scenario = scenario("study deny inside a general permit");
        long before = audit.count();
        List<String> requests = scenario.requests().stream().filter(r -> !r.contains("_has")).toList();
        for (String request : requests) {
            ask(request, scenario.requester, "TREAT");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> audit.count() >= before + requests.size());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> audit.count() == before + requests.size());
    }
}
