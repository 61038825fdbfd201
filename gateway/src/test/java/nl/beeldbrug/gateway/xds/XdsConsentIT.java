package nl.beeldbrug.gateway.xds;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import nl.beeldbrug.gateway.security.IuaClaims;
import nl.beeldbrug.gateway.security.Tokens;
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
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.*;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.openehealth.ipf.platform.camel.ihe.ws.AbstractWsEndpoint;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Consent on the XDS release points (ITI-18, ITI-43), in process over SOAP on loopback with IUA bearer tokens:
 * every stored query (LeafClass and ObjectRef) and retrieve is answered (a) with all documents registered and the
 * consents recorded, and (b) in a fresh registry holding only the documents the consent permits; the answers
 * must be the same — a denied document is indistinguishable from an absent one, also in the result limit.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.enabled=false",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.xds.max-query-results=" + XdsConsentIT.LIMIT,
        "beeldbrug.security.tokens.enabled=true",
        "beeldbrug.security.tokens.audiences[0]=" + Tokens.AUDIENCE,
        "beeldbrug.consent.organisations[0].ura=" + XdsConsentIT.GP_URA,
        "beeldbrug.consent.organisations[0].type=gp",
        "beeldbrug.consent.organisations[0].name=Huisartsenpraktijk"})
class XdsConsentIT {

    static final int LIMIT = 20;
    static final String HOSPITAL_URA = "11110001";
    static final String DENIED_URA = "11110002";
    static final String GP_URA = "11110003";
    private static final RSAKey KEY = Tokens.rsa("xds-consent");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        FreshDatabase.register(registry, "it-xds-consent-postgres");
        Path jwks = Files.createTempFile(Path.of("target"), "xds-consent-jwks", ".json");
        Files.writeString(jwks, new JWKSet(KEY.toPublicJWK()).toString(true));
        // a list is bound from one property source: the issuer's id goes with its key file
        registry.add("beeldbrug.security.tokens.issuers[0].id", () -> Tokens.ISSUER);
        registry.add("beeldbrug.security.tokens.issuers[0].jwks-file", jwks::toString);
    }

    @LocalServerPort
    int port;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    ConsentStore consents;
    @Autowired
    AuditStore audit;

    /** Who asks, for what. */
    record Requester(String ura, String purposeSystem, String purpose) {
        static Requester treating(String ura) {
            return new Requester(ura, IuaClaims.ACT_REASON, "TREAT");
        }
    }

    /** One patient's documents, consent and requester, and which of the documents the consent must withhold. */
    record Case(String name, Bsn bsn, Requester requester, List<Provision> provisions, Predicate<Doc> denied) {
    }

    /** A registered document with what the consent is about. */
    record Doc(DocumentEntry entry, String study, boolean report) {
    }

    /** One ITI-41 submission as planned: its objects and associations. */
    record Submission(SubmissionSet set, List<Doc> docs, List<Folder> folders, List<Association> associations) {
    }

    /** A patient's three submissions: studies S1 (KOS + report, also in a folder), S2 (KOS + report) + S3 (KOS), S3's report transforming S2's. */
    record Patient(Case kase, SampleMetadata sample, List<Submission> submissions, Map<String, String> studies) {

        List<Doc> docs() {
            return submissions.stream().flatMap(s -> s.docs().stream()).toList();
        }

        Stream<XDSMetaClass> containers() {
            return submissions.stream().flatMap(s -> Stream.concat(Stream.of(s.set()), s.folders().stream()));
        }

        Set<String> deniedUuids() {
            Set<String> denied = new HashSet<>();
            docs().stream().filter(kase.denied()).forEach(d -> denied.add(d.entry().getEntryUuid()));
            return denied;
        }
    }

    private final Map<Requester, String> tokens = new HashMap<>();

    @Test
    void aDeniedDocumentIsIndistinguishableFromAnAbsentOne() throws Exception {
        Requester hospital = Requester.treating(HOSPITAL_URA);
        List<Case> cases = List.of(
                new Case("no consent, treatment", bsn(1), hospital, List.of(), d -> false),
                new Case("deny by organisation URA", bsn(2), Requester.treating(DENIED_URA),
                        List.of(Provision.deny().organisation(Ura.of(DENIED_URA)).build()), d -> true),
                new Case("deny by organisation type", bsn(3), Requester.treating(GP_URA),
                        List.of(Provision.deny().organisationType(OrganisationType.GP).build()), d -> true),
                new Case("study-specific deny inside a permit", bsn(4), hospital,
                        List.of(Provision.permit().purposes(PurposeOfUse.TREAT).build()), d -> d.study().equals("S2")),
                new Case("report-only deny", bsn(5), hospital,
                        List.of(Provision.deny().dataClasses(DataClass.REPORT).build()), Doc::report),
                new Case("AI without an AI consent", bsn(6),
                        new Requester(HOSPITAL_URA, IuaClaims.BEELDBRUG_PURPOSE, "AI"),
                        List.of(Provision.permit().purposes(PurposeOfUse.TREAT).build()), d -> true),
                new Case("research without a research consent", bsn(7),
                        new Requester(HOSPITAL_URA, IuaClaims.ACT_REASON, "HRESCH"), List.of(), d -> true));
        List<Patient> all = new ArrayList<>();
        for (Case kase : cases) {
            Patient patient = plan(kase);
            all.add(patient);
            Database.inTransaction(dataSource, c -> patients.add(c, kase.bsn()));
            if (!kase.provisions().isEmpty()) {
                // the study-specific case denies S2 inside its permit
                List<Provision> provisions = new ArrayList<>(kase.provisions());
                if (kase.name().startsWith("study-specific")) {
                    provisions.add(Provision.deny().studies(patient.studies().get("S2")).build());
                }
                consents.create(new ConsentRecord(ConsentStore.newId(), kase.bsn(), ConsentStatus.ACTIVE,
                        Instant.now().minusSeconds(3600), provisions));
            }
        }

        // (a) everything registered, the consents decide
        for (Patient patient : all) {
            for (Submission submission : patient.submissions()) {
                submit(submission, Set.of());
            }
        }
        Map<String, String> denied = answers(all);
        // the call's one audit record carries the requester and the withheld patient (NEN 7513)
        await().untilAsserted(() -> assertThat(audit.forPatient(cases.get(1).bsn().value())).anySatisfy(r -> {
            assertThat(r.eventType()).isEqualTo("ITI-18");
            assertThat(r.organisation()).contains(DENIED_URA);
            assertThat(r.outcome()).isNotEqualTo("Success");
        }));

        // (b) a fresh registry with only what the consent permits
        Database.inTransaction(dataSource, c -> {
            try (Statement s = c.createStatement()) {
                s.execute("truncate association, document_content, registry_object");
            }
            return null;
        });
        for (Patient patient : all) {
            for (Submission submission : patient.submissions()) {
                submit(submission, patient.deniedUuids());
            }
        }
        Map<String, String> absent = answers(all);

        assertThat(denied.keySet()).isEqualTo(absent.keySet());
        for (String key : denied.keySet()) {
            assertThat(denied.get(key)).as(key).isEqualTo(absent.get(key));
        }
        // the limit is judged on the filtered result: GetAll of all 22 objects is too many, of the 17 permitted not
        assertThat(denied.get("no consent, treatment | GetAll LEAF_CLASS")).contains(ErrorCode.TOO_MANY_RESULTS.name());
        assertThat(denied.get("study-specific deny inside a permit | GetAll LEAF_CLASS")).startsWith("SUCCESS")
                .contains("DE ");
        // the scenarios are not vacuous: the control sees documents, the fully denied see none
        assertThat(denied.get("no consent, treatment | FindDocuments OBJECT_REF")).contains("REF ");
        assertThat(denied.get("report-only deny | FindDocuments LEAF_CLASS")).contains("DE ");
        assertThat(denied.get("AI without an AI consent | FindDocuments LEAF_CLASS")).doesNotContain("DE ");
        assertThat(denied.get("deny by organisation URA | FindDocuments local patient id LEAF_CLASS"))
                .contains(ErrorCode.UNKNOWN_PATIENT_ID.name());
        assertThat(denied.get("report-only deny | FindDocuments local patient id LEAF_CLASS")).contains("DE ");
        assertThat(denied.get("deny by organisation type | retrieve all")).startsWith("FAILURE");
        assertThat(denied.get("study-specific deny inside a permit | retrieve all")).startsWith("PARTIAL_SUCCESS");
    }

    // ---------------------------------------------------------------- the data

    private Patient plan(Case kase) {
        SampleMetadata sample = SampleMetadata.forPatient(kase.bsn());
        Map<String, String> studies = new LinkedHashMap<>();
        for (String s : List.of("S1", "S2", "S3")) {
            studies.put(s, SampleMetadata.newUid());
        }
        Doc kos1 = new Doc(sample.kos(studies.get("S1")), "S1", false);
        Doc rep1 = new Doc(sample.report(studies.get("S1")), "S1", true);
        Doc kos2 = new Doc(sample.kos(studies.get("S2")), "S2", false);
        Doc rep2 = new Doc(sample.report(studies.get("S2")), "S2", true);
        Doc kos3 = new Doc(sample.kos(studies.get("S3")), "S3", false);
        Doc rep3 = new Doc(sample.report(studies.get("S3")), "S3", true);
        for (Doc d : List.of(kos1, rep1, kos2, rep2, kos3, rep3)) {
            d.entry().getReferenceIdList().add(studyInstanceUid(studies.get(d.study())));
            contents.put(d.entry().getUniqueId(), sample.contentOf(d.entry()));
        }
        Map<String, String> ids = new HashMap<>();

        SubmissionSet set1 = sample.submissionSet();
        Folder folder = sample.folder();
        List<Association> first = new ArrayList<>();
        first.add(sample.membership(set1, kos1.entry()));
        first.add(sample.membership(set1, rep1.entry()));
        first.add(sample.association(AssociationType.HAS_MEMBER, set1.getEntryUuid(), folder.getEntryUuid()));
        for (Doc member : List.of(kos1, rep1)) {
            Association inFolder = sample.association(AssociationType.HAS_MEMBER, folder.getEntryUuid(), member.entry().getEntryUuid());
            first.add(inFolder);
            first.add(sample.association(AssociationType.HAS_MEMBER, set1.getEntryUuid(), inFolder.getEntryUuid()));
        }
        SubmissionSet set2 = sample.submissionSet();
        List<Association> second = new ArrayList<>();
        for (Doc d : List.of(kos2, rep2, kos3)) {
            second.add(sample.membership(set2, d.entry()));
        }
        SubmissionSet set3 = sample.submissionSet();
        List<Association> third = new ArrayList<>();
        third.add(sample.membership(set3, rep3.entry()));
        third.add(sample.association(AssociationType.TRANSFORM, rep3.entry().getEntryUuid(), rep2.entry().getEntryUuid()));

        List<Submission> submissions = List.of(
                new Submission(set1, List.of(kos1, rep1), List.of(folder), first),
                new Submission(set2, List.of(kos2, rep2, kos3), List.of(), second),
                new Submission(set3, List.of(rep3), List.of(), third));
        // real, deterministic entryUUIDs: both registries hold the same identifiers
        for (Submission s : submissions) {
            Stream.concat(Stream.concat(Stream.of((XDSMetaClass) s.set()), s.folders().stream()),
                    s.docs().stream().map(Doc::entry)).forEach(o -> o.setEntryUuid(real(kase, o.getEntryUuid(), ids)));
            for (Association a : s.associations()) {
                a.setEntryUuid(real(kase, a.getEntryUuid(), ids));
            }
        }
        for (Submission s : submissions) {
            for (Association a : s.associations()) {
                a.setSourceUuid(ids.getOrDefault(a.getSourceUuid(), a.getSourceUuid()));
                a.setTargetUuid(ids.getOrDefault(a.getTargetUuid(), a.getTargetUuid()));
            }
        }
        return new Patient(kase, sample, submissions, studies);
    }

    /** The XDS-I.b 2016 reference to the study, the key the consent judges a document by. */
    private static ReferenceId studyInstanceUid(String uid) {
        return new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID);
    }

    private static String real(Case kase, String symbolic, Map<String, String> ids) {
        String uuid = "urn:uuid:" + UUID.nameUUIDFromBytes((kase.bsn().value() + symbolic).getBytes(StandardCharsets.UTF_8));
        ids.put(symbolic, uuid);
        return uuid;
    }

    /** ITI-41 of a submission without the {@code dropped} documents and what would betray them. */
    private void submit(Submission submission, Set<String> droppedDocs) {
        Set<String> dropped = new HashSet<>(droppedDocs);
        List<Folder> folders = new ArrayList<>();
        for (Folder folder : submission.folders()) {
            boolean keepsADocument = submission.associations().stream()
                    .anyMatch(a -> a.getSourceUuid().equals(folder.getEntryUuid()) && submission.docs().stream()
                            .anyMatch(d -> d.entry().getEntryUuid().equals(a.getTargetUuid()) && !dropped.contains(a.getTargetUuid())));
            if (keepsADocument) {
                folders.add(folder);
            } else {
                dropped.add(folder.getEntryUuid());
            }
        }
        List<DocumentEntry> entries = submission.docs().stream().map(Doc::entry)
                .filter(e -> !dropped.contains(e.getEntryUuid())).toList();
        if (entries.isEmpty() && folders.isEmpty()) {
            return;
        }
        List<Association> associations = new ArrayList<>(submission.associations());
        boolean changed = true;
        while (changed) {
            changed = associations.removeIf(a -> {
                boolean gone = dropped.contains(a.getSourceUuid()) || dropped.contains(a.getTargetUuid());
                if (gone) {
                    dropped.add(a.getEntryUuid());
                }
                return gone;
            });
        }
        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        request.setSubmissionSet(submission.set());
        for (Doc doc : submission.docs()) {
            if (entries.contains(doc.entry())) {
                byte[] content = contents.get(doc.entry().getUniqueId());
                doc.entry().setHash(null);
                doc.entry().setSize(null);
                doc.entry().setRepositoryUniqueId(null);
                request.getDocuments().add(new Document(doc.entry(), SampleMetadata.dataHandler(content, doc.entry().getMimeType())));
            }
        }
        request.getFolders().addAll(folders);
        request.getAssociations().addAll(associations);
        Response response = call("xds-iti41", "repository/iti41", request, Requester.treating(HOSPITAL_URA), Response.class);
        assertThat(response.getStatus()).as("%s", response.getErrors()).isEqualTo(Status.SUCCESS);
    }

    /** Document bytes by uniqueId. */
    private final Map<String, byte[]> contents = new HashMap<>();

    // ---------------------------------------------------------------- the questions

    /** Every question of every case, answered and normalised: "case | question" → answer. */
    private Map<String, String> answers(List<Patient> all) throws IOException {
        Map<String, String> answers = new LinkedHashMap<>();
        for (Patient patient : all) {
            for (Map.Entry<String, Query> q : queries(patient).entrySet()) {
                for (QueryReturnType type : List.of(QueryReturnType.LEAF_CLASS, QueryReturnType.OBJECT_REF)) {
                    QueryResponse response = call("xds-iti18", "registry/iti18", new QueryRegistry(q.getValue(), type),
                            patient.kase().requester(), QueryResponse.class);
                    answers.put(patient.kase().name() + " | " + q.getKey() + " " + type, normalised(response));
                }
            }
            List<DocumentEntry> entries = patient.docs().stream().map(Doc::entry).toList();
            answers.put(patient.kase().name() + " | retrieve all", retrieve(patient, entries));
            for (DocumentEntry entry : entries) {
                answers.put(patient.kase().name() + " | retrieve " + entry.getEntryUuid(), retrieve(patient, List.of(entry)));
            }
        }
        return answers;
    }

    private Map<String, Query> queries(Patient patient) {
        Map<String, Query> queries = new LinkedHashMap<>();
        List<Doc> docs = patient.docs();
        List<String> docUuids = docs.stream().map(d -> d.entry().getEntryUuid()).toList();
        List<AvailabilityStatus> approved = List.of(AvailabilityStatus.APPROVED);

        FindDocumentsQuery findDocuments = new FindDocumentsQuery();
        findDocuments.setPatientId(patient.sample().patientId());
        findDocuments.setStatus(approved);
        queries.put("FindDocuments", findDocuments);
        FindDocumentsQuery byLocalId = new FindDocumentsQuery();
        byLocalId.setPatientId(docs.get(0).entry().getSourcePatientId());
        byLocalId.setStatus(approved);
        queries.put("FindDocuments local patient id", byLocalId);
        FindDocumentsByReferenceIdQuery byStudy = new FindDocumentsByReferenceIdQuery();
        byStudy.setPatientId(patient.sample().patientId());
        byStudy.setStatus(approved);
        byStudy.setTypedReferenceIds(new QueryList<>(studyInstanceUid(patient.studies().get("S2"))));
        queries.put("FindDocumentsByReferenceId", byStudy);
        FindSubmissionSetsQuery findSets = new FindSubmissionSetsQuery();
        findSets.setPatientId(patient.sample().patientId());
        findSets.setStatus(approved);
        queries.put("FindSubmissionSets", findSets);
        FindFoldersQuery findFolders = new FindFoldersQuery();
        findFolders.setPatientId(patient.sample().patientId());
        findFolders.setStatus(approved);
        queries.put("FindFolders", findFolders);
        GetAllQuery getAll = new GetAllQuery();
        getAll.setPatientId(patient.sample().patientId());
        getAll.setStatusDocuments(approved);
        getAll.setStatusSubmissionSets(approved);
        getAll.setStatusFolders(approved);
        queries.put("GetAll", getAll);

        GetDocumentsQuery byUuids = new GetDocumentsQuery();
        byUuids.setUuids(docUuids);
        queries.put("GetDocuments uuids", byUuids);
        GetDocumentsQuery byUniqueIds = new GetDocumentsQuery();
        byUniqueIds.setUniqueIds(docs.stream().map(d -> d.entry().getUniqueId()).toList());
        queries.put("GetDocuments uniqueIds", byUniqueIds);
        GetAssociationsQuery associations = new GetAssociationsQuery();
        associations.setUuids(Stream.concat(docUuids.stream(), patient.containers().map(XDSMetaClass::getEntryUuid)).toList());
        queries.put("GetAssociations", associations);
        GetDocumentsAndAssociationsQuery documentsAndAssociations = new GetDocumentsAndAssociationsQuery();
        documentsAndAssociations.setUuids(docUuids);
        queries.put("GetDocumentsAndAssociations", documentsAndAssociations);
        GetSubmissionSetsQuery sets = new GetSubmissionSetsQuery();
        sets.setUuids(docUuids);
        queries.put("GetSubmissionSets", sets);
        for (Submission submission : patient.submissions()) {
            GetSubmissionSetAndContentsQuery byUuid = new GetSubmissionSetAndContentsQuery();
            byUuid.setUuid(submission.set().getEntryUuid());
            queries.put("GetSubmissionSetAndContents uuid " + submission.set().getEntryUuid(), byUuid);
            GetSubmissionSetAndContentsQuery byUniqueId = new GetSubmissionSetAndContentsQuery();
            byUniqueId.setUniqueId(submission.set().getUniqueId());
            queries.put("GetSubmissionSetAndContents uniqueId " + submission.set().getEntryUuid(), byUniqueId);
            for (Folder folder : submission.folders()) {
                GetFoldersQuery folders = new GetFoldersQuery();
                folders.setUuids(List.of(folder.getEntryUuid()));
                queries.put("GetFolders " + folder.getEntryUuid(), folders);
                GetFolderAndContentsQuery contents = new GetFolderAndContentsQuery();
                contents.setUuid(folder.getEntryUuid());
                queries.put("GetFolderAndContents " + folder.getEntryUuid(), contents);
            }
        }
        for (Doc doc : docs) {
            GetDocumentsQuery one = new GetDocumentsQuery();
            one.setUniqueIds(List.of(doc.entry().getUniqueId()));
            queries.put("GetDocuments uniqueId " + doc.entry().getEntryUuid(), one);
            GetFoldersForDocumentQuery folders = new GetFoldersForDocumentQuery();
            folders.setUuid(doc.entry().getEntryUuid());
            queries.put("GetFoldersForDocument " + doc.entry().getEntryUuid(), folders);
            GetRelatedDocumentsQuery related = new GetRelatedDocumentsQuery();
            related.setUuid(doc.entry().getEntryUuid());
            related.setAssociationTypes(List.of(AssociationType.TRANSFORM, AssociationType.REPLACE, AssociationType.APPEND));
            queries.put("GetRelatedDocuments " + doc.entry().getEntryUuid(), related);
        }
        return queries;
    }

    private String retrieve(Patient patient, List<DocumentEntry> entries) throws IOException {
        RetrieveDocumentSet request = new RetrieveDocumentSet();
        for (DocumentEntry entry : entries) {
            request.getDocuments().add(new DocumentReference(SampleMetadata.REPOSITORY_UNIQUE_ID, entry.getUniqueId(), null));
        }
        RetrievedDocumentSet response = call("xds-iti43", "repository/iti43", request, patient.kase().requester(),
                RetrievedDocumentSet.class);
        List<String> lines = new ArrayList<>(errors(response.getErrors()));
        for (RetrievedDocument document : response.getDocuments()) {
            try (InputStream in = document.getDataHandler().getInputStream()) {
                lines.add("DOC " + document.getRequestData().getDocumentUniqueId() + " " + document.getMimeType() + " "
                        + SampleMetadata.sha1(in.readAllBytes()));
            }
        }
        return response.getStatus() + "\n" + String.join("\n", lines.stream().sorted().toList());
    }

    /** Status, errors and the identity of every returned object; volatile fields (times, versions' ids) left out. */
    private static String normalised(QueryResponse response) {
        List<String> lines = new ArrayList<>(errors(response.getErrors()));
        for (DocumentEntry e : response.getDocumentEntries()) {
            lines.add("DE " + e.getEntryUuid() + " " + e.getUniqueId() + " " + e.getAvailabilityStatus() + " " + e.getLogicalUuid());
        }
        for (SubmissionSet s : response.getSubmissionSets()) {
            lines.add("SS " + s.getEntryUuid() + " " + s.getUniqueId() + " " + s.getAvailabilityStatus());
        }
        for (Folder f : response.getFolders()) {
            lines.add("FD " + f.getEntryUuid() + " " + f.getUniqueId() + " " + f.getAvailabilityStatus());
        }
        for (Association a : response.getAssociations()) {
            lines.add("AS " + a.getEntryUuid() + " " + a.getAssociationType() + " " + a.getSourceUuid() + " "
                    + a.getTargetUuid() + " " + a.getAvailabilityStatus() + " " + a.getLabel());
        }
        for (ObjectReference r : response.getReferences()) {
            lines.add("REF " + r.getId());
        }
        return response.getStatus() + "\n" + String.join("\n", lines.stream().sorted().toList());
    }

    private static List<String> errors(List<ErrorInfo> errors) {
        return errors.stream().map(e -> "ERR " + e.getErrorCode() + " " + e.getSeverity() + " " + e.getCodeContext()
                + " " + e.getLocation()).toList();
    }

    // ---------------------------------------------------------------- the wire

    private <T> T call(String scheme, String path, Object body, Requester requester, Class<T> type) {
        String uri = scheme + "://127.0.0.1:" + port + "/services/" + path + "?audit=false";
        return producer.requestBodyAndHeader(uri, body, AbstractWsEndpoint.OUTGOING_HTTP_HEADERS,
                Map.of("Authorization", Tokens.bearer(tokens.computeIfAbsent(requester, XdsConsentIT::token))), type);
    }

    private static String token(Requester requester) {
        var claims = Tokens.withIua(Tokens.claims(Instant.now()), IuaClaims.SUBJECT_ORGANIZATION_ID,
                "urn:oid:" + Ura.OID + "." + requester.ura());
        claims = Tokens.withIua(claims, IuaClaims.PURPOSE_OF_USE, List.of(Tokens.coding(requester.purposeSystem(), requester.purpose())));
        claims.expirationTime(java.util.Date.from(Instant.now().plusSeconds(3600)));
        return Tokens.sign(KEY, JWSAlgorithm.RS256, claims.build());
    }

    /** The n-th valid BSN (eleven test) of this test's own range. */
    private static Bsn bsn(int n) {
        for (int candidate = 31_000_000 + n * 97; ; candidate++) {
            String digits = String.format("%08d", candidate);
            int sum = 0;
            for (int i = 0; i < 8; i++) {
                sum += (digits.charAt(i) - '0') * (9 - i);
            }
            int last = sum % 11;
            if (last < 10) {
                return Bsn.of(digits + last);
            }
        }
    }

    static {
        try {
            Files.createDirectories(Path.of("target"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
