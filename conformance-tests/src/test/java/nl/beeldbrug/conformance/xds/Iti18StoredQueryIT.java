package nl.beeldbrug.conformance.xds;

import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.RawSoap;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsByReferenceIdQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindSubmissionSetsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetAssociationsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetDocumentsAndAssociationsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFolderAndContentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFoldersForDocumentQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetRelatedDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetSubmissionSetAndContentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetSubmissionSetsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.Query;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryList;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static nl.beeldbrug.conformance.support.Xds.assertFailure;
import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.errorCodes;
import static nl.beeldbrug.conformance.support.Xds.getAll;
import static nl.beeldbrug.conformance.support.Xds.leafClass;
import static nl.beeldbrug.conformance.support.Xds.objectRef;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ITI-18 Registry Stored Query: every stored query of ITI TF-2a 3.18.4.1.2.3.7, LeafClass and ObjectRef,
 * on data this class registers first (with ITI-41 and ITI-42) for a demo patient of its own:
 * <pre>
 * SS-A (ITI-41, sourceId S-A): A1 (report, Jansen, CT+thorax, 2024-01), A2 (images, Pietersen, MR, ZDC, 2025-03),
 *                              folder F1 containing A1
 * SS-B (ITI-42):               B1 APND A1
 * SS-C (ITI-42): C1;  SS-D (ITI-42): C2 RPLC C1  (C1 Deprecated)
 * </pre>
 * Results are compared on this class's own objects; the patient's demo studies are there too.
 */
@ExtendWith(SharedGateway.class)
class Iti18StoredQueryIT {

    private static final String PATIENT = Patients.demo(5);
    private static final String SOURCE_A = "2.16.528.1.1007.3.3.77777777";

    private static XdsClient client;
    private static Submission ssA;
    private static Submission ssB;
    private static Submission ssC;
    private static Submission ssD;
    private static DocumentEntry a1;
    private static DocumentEntry a2;
    private static DocumentEntry b1;
    private static DocumentEntry c1;
    private static DocumentEntry c2;
    private static Folder f1;
    private static Association f1HasA1;
    private static Association appendB1A1;
    private static final Set<String> MINE = new HashSet<>();

    @BeforeAll
    static void registerTestData(XdsClient xds) {
        client = xds;
        ssA = Submission.forPatient(PATIENT);
        ssA.submissionSet().setSourceId(SOURCE_A);
        a1 = ssA.document("Verslag CT thorax 2024");
        a1.setCreationTime("20240110120000");
        a1.setServiceStartTime("20240110090000");
        a1.setServiceStopTime("20240110093000");
        a1.getReferenceIdList().add(new ReferenceId("ACC-" + a1.getUniqueId().substring(5, 15), null, ReferenceId.ID_TYPE_CODE_ACCESSION));
        a2 = ssA.document("Beelden MR 2025");
        a2.setClassCode(Submission.CLASS_IMAGES);
        a2.setTypeCode(Submission.TYPE_CT);
        a2.setPracticeSettingCode(Submission.PRACTICE_CARDIOLOGY);
        a2.setHealthcareFacilityTypeCode(Submission.FACILITY_ZDC);
        a2.setFormatCode(Submission.FORMAT_KOS);
        a2.getEventCodeList().clear();
        a2.getEventCodeList().add(Submission.EVENT_MR);
        a2.getAuthors().clear();
        a2.getAuthors().add(Submission.author("Pietersen"));
        a2.setCreationTime("20250301120000");
        a2.setServiceStartTime("20250301090000");
        a2.setServiceStopTime("20250301100000");
        f1 = ssA.folder();
        f1HasA1 = ssA.addToFolder(f1.getEntryUuid(), a1.getEntryUuid());
        assertSuccess(client.provideAndRegister(ssA.provideAndRegister()));

        ssB = Submission.forPatient(PATIENT);
        b1 = ssB.registryEntry();
        appendB1A1 = ssB.relate(AssociationType.APPEND, b1.getEntryUuid(), a1.getEntryUuid());
        assertSuccess(client.register(ssB.register()));

        ssC = Submission.forPatient(PATIENT);
        c1 = ssC.registryEntry();
        assertSuccess(client.register(ssC.register()));
        ssD = Submission.forPatient(PATIENT);
        c2 = ssD.registryEntry();
        ssD.relate(AssociationType.REPLACE, c2.getEntryUuid(), c1.getEntryUuid());
        assertSuccess(client.register(ssD.register()));

        for (Submission s : List.of(ssA, ssB, ssC, ssD)) {
            MINE.add(s.submissionSet().getEntryUuid());
            s.entries().forEach(e -> MINE.add(e.getEntryUuid()));
            s.folders().forEach(f -> MINE.add(f.getEntryUuid()));
            s.associations().forEach(a -> MINE.add(a.getEntryUuid()));
        }
    }

    // ------------------------------------------------------------------ helpers

    private static QueryResponse leaf(Query query) {
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        return response;
    }

    /** Entry UUIDs of this class's objects in a LeafClass answer. */
    private static Set<String> mine(QueryResponse response) {
        Set<String> uuids = new HashSet<>();
        response.getDocumentEntries().forEach(e -> uuids.add(e.getEntryUuid()));
        response.getSubmissionSets().forEach(s -> uuids.add(s.getEntryUuid()));
        response.getFolders().forEach(f -> uuids.add(f.getEntryUuid()));
        response.getAssociations().forEach(a -> uuids.add(a.getEntryUuid()));
        uuids.retainAll(MINE);
        return uuids;
    }

    /** Entry UUIDs of this class's objects in an ObjectRef answer. */
    private static Set<String> mineRefs(QueryResponse response) {
        assertThat(response.getDocumentEntries()).as("ObjectRef answers carry no objects").isEmpty();
        Set<String> uuids = new HashSet<>();
        response.getReferences().stream().map(ObjectReference::getId).forEach(uuids::add);
        uuids.retainAll(MINE);
        return uuids;
    }

    private static Set<String> uuids(Object... objects) {
        Set<String> uuids = new HashSet<>();
        for (Object o : objects) {
            if (o instanceof DocumentEntry e) {
                uuids.add(e.getEntryUuid());
            } else if (o instanceof Folder f) {
                uuids.add(f.getEntryUuid());
            } else if (o instanceof SubmissionSet s) {
                uuids.add(s.getEntryUuid());
            } else if (o instanceof Association a) {
                uuids.add(a.getEntryUuid());
            } else {
                throw new IllegalArgumentException(String.valueOf(o));
            }
        }
        return uuids;
    }

    private static FindDocumentsQuery findDocuments(Consumer<FindDocumentsQuery> parameters) {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        parameters.accept(query);
        return query;
    }

    private static Set<String> found(Consumer<FindDocumentsQuery> parameters) {
        QueryResponse response = leaf(findDocuments(parameters));
        assertThat(response.getSubmissionSets()).isEmpty();
        assertThat(response.getAssociations()).isEmpty();
        return mine(response);
    }

    @SafeVarargs
    private static <T> QueryList<T> andOf(List<T>... ors) {
        QueryList<T> list = new QueryList<>();
        for (List<T> or : ors) {
            list.getOuterList().add(new ArrayList<>(or));
        }
        return list;
    }

    // ------------------------------------------------------------------ FindDocuments

    @Test
    void findDocumentsByPatientAndStatus() {
        assertThat(found(q -> { })).isEqualTo(uuids(a1, a2, b1, c2));
        assertThat(found(q -> q.setStatus(List.of(AvailabilityStatus.DEPRECATED)))).isEqualTo(uuids(c1));
        assertThat(found(q -> q.setStatus(List.of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED))))
                .isEqualTo(uuids(a1, a2, b1, c1, c2));
    }

    @Test
    void findDocumentsByCodes() {
        assertThat(found(q -> q.setClassCodes(List.of(Submission.CLASS_IMAGES)))).isEqualTo(uuids(a2, b1, c2));
        assertThat(found(q -> q.setTypeCodes(List.of(Submission.TYPE_REPORT)))).isEqualTo(uuids(a1));
        assertThat(found(q -> q.setPracticeSettingCodes(List.of(Submission.PRACTICE_CARDIOLOGY)))).isEqualTo(uuids(a2));
        assertThat(found(q -> q.setHealthcareFacilityTypeCodes(List.of(Submission.FACILITY_ZDC)))).isEqualTo(uuids(a2));
        assertThat(found(q -> q.setFormatCodes(List.of(Submission.FORMAT_TEXT)))).isEqualTo(uuids(a1));
        assertThat(found(q -> q.setFormatCodes(List.of(Submission.FORMAT_TEXT, Submission.FORMAT_KOS))))
                .isEqualTo(uuids(a1, a2, b1, c2));
        assertThat(found(q -> q.setClassCodes(List.of(Submission.code("IMAGES", "9.9.9", "other scheme"))))).isEmpty();
    }

    @Test
    void findDocumentsByEventCodesAndOrSemantics() {
        assertThat(found(q -> q.setEventCodes(andOf(List.of(Submission.EVENT_MR))))).isEqualTo(uuids(a2));
        assertThat(found(q -> q.setEventCodes(andOf(List.of(Submission.EVENT_CT), List.of(Submission.EVENT_THORAX)))))
                .isEqualTo(uuids(a1, b1, c2));
        assertThat(found(q -> q.setEventCodes(andOf(List.of(Submission.EVENT_CT, Submission.EVENT_MR)))))
                .isEqualTo(uuids(a1, a2, b1, c2));
        assertThat(found(q -> q.setEventCodes(andOf(List.of(Submission.EVENT_MR), List.of(Submission.EVENT_THORAX))))).isEmpty();
    }

    @Test
    void findDocumentsByTimeRanges() {
        assertThat(found(q -> {
            q.getCreationTime().setFrom("20240101");
            q.getCreationTime().setTo("20250101");
        })).isEqualTo(uuids(a1));
        assertThat(found(q -> {
            q.getServiceStartTime().setFrom("20250201");
            q.getServiceStartTime().setTo("20250401");
        })).isEqualTo(uuids(a2));
        // from is inclusive, to is exclusive
        assertThat(found(q -> q.getServiceStartTime().setFrom("20250301090000"))).contains(a2.getEntryUuid()).doesNotContain(a1.getEntryUuid());
        assertThat(found(q -> {
            q.getServiceStartTime().setFrom("20240101");
            q.getServiceStartTime().setTo("20250301090000");
        })).isEqualTo(uuids(a1));
        assertThat(found(q -> q.getServiceStopTime().setTo("20240110093001"))).isEqualTo(uuids(a1));
    }

    @Test
    void findDocumentsByAuthorPerson() {
        assertThat(found(q -> q.setAuthorPersons(List.of("%Pietersen%")))).isEqualTo(uuids(a2));
        assertThat(found(q -> q.setAuthorPersons(List.of("%Pietersen%", "%Jansen%")))).isEqualTo(uuids(a1, a2, b1, c2));
        assertThat(found(q -> q.setAuthorPersons(List.of("%Nobody%")))).isEmpty();
    }

    @Test
    void findDocumentsByDocumentEntryType() {
        assertThat(found(q -> q.setDocumentEntryTypes(List.of(DocumentEntryType.STABLE)))).isEqualTo(uuids(a1, a2, b1, c2));
        assertThat(found(q -> q.setDocumentEntryTypes(List.of(DocumentEntryType.ON_DEMAND)))).isEmpty();
    }

    @Test
    void findDocumentsObjectRef() {
        QueryResponse response = client.query(objectRef(findDocuments(q -> q.setClassCodes(List.of(Submission.CLASS_IMAGES)))));
        assertSuccess(response);
        assertThat(mineRefs(response)).isEqualTo(uuids(a2, b1, c2));
    }

    @Test
    void findDocumentsReturnsCompleteMetadata() {
        DocumentEntry stored = leaf(findDocuments(q -> q.setTypeCodes(List.of(Submission.TYPE_REPORT)))).getDocumentEntries()
                .stream().filter(e -> e.getEntryUuid().equals(a1.getEntryUuid())).findFirst().orElseThrow();
        assertThat(stored.getUniqueId()).isEqualTo(a1.getUniqueId());
        assertThat(stored.getClassCode()).isEqualTo(a1.getClassCode());
        assertThat(stored.getEventCodeList()).containsExactlyInAnyOrderElementsOf(a1.getEventCodeList());
        assertThat(stored.getCreationTime()).isEqualTo(a1.getCreationTime());
        assertThat(stored.getSourcePatientId()).isEqualTo(a1.getSourcePatientId());
        assertThat(stored.getReferenceIdList()).containsExactlyInAnyOrderElementsOf(a1.getReferenceIdList());
        assertThat(stored.getAuthors()).hasSize(1);
        assertThat(stored.getAuthors().get(0).getAuthorPerson().getName().getFamilyName()).isEqualTo("Jansen");
        assertThat(stored.getLogicalUuid()).isEqualTo(a1.getEntryUuid());
        assertThat(stored.getVersion().getVersionName()).isEqualTo("1");
    }

    @Test
    void findDocumentsByReferenceId() {
        ReferenceId study = a1.getReferenceIdList().get(0);
        FindDocumentsByReferenceIdQuery query = new FindDocumentsByReferenceIdQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        query.setReferenceIds(andOf(List.of(study.getId() + "^^^^" + study.getIdTypeCode())));
        assertThat(mine(leaf(query))).isEqualTo(uuids(a1));

        query.setReferenceIds(andOf(List.of(Submission.uid() + "^^^^" + ReferenceId.ID_TYPE_STUDY_INSTANCE_ID)));
        assertThat(mine(leaf(query))).isEmpty();

        query.setReferenceIds(andOf(List.of(study.getId() + "^^^^" + study.getIdTypeCode())));
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(a1));
    }

    // ------------------------------------------------------------------ FindSubmissionSets, FindFolders, GetAll

    @Test
    void findSubmissionSets() {
        FindSubmissionSetsQuery query = new FindSubmissionSetsQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        assertThat(mine(leaf(query))).isEqualTo(uuids(ssA.submissionSet(), ssB.submissionSet(), ssC.submissionSet(), ssD.submissionSet()));

        query.setSourceIds(List.of(SOURCE_A));
        assertThat(mine(leaf(query))).isEqualTo(uuids(ssA.submissionSet()));
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(ssA.submissionSet()));

        query.setStatus(List.of(AvailabilityStatus.DEPRECATED));
        assertThat(mine(leaf(query))).isEmpty();
    }

    @Test
    void findFolders() {
        FindFoldersQuery query = new FindFoldersQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse response = leaf(query);
        assertThat(mine(response)).isEqualTo(uuids(f1));
        assertThat(response.getFolders()).filteredOn(f -> f.getEntryUuid().equals(f1.getEntryUuid()))
                .singleElement().satisfies(f -> {
                    assertThat(f.getUniqueId()).isEqualTo(f1.getUniqueId());
                    assertThat(f.getLastUpdateTime()).isNotNull();
                    assertThat(f.getCodeList()).containsExactly(Submission.FOLDER_CODE);
                });

        query.setCodes(andOf(List.of(Submission.FOLDER_CODE)));
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(f1));

        query.setCodes(andOf(List.of(Submission.code("other", "1.2.3", "other"))));
        assertThat(mine(leaf(query))).isEmpty();
    }

    @Test
    void getAllOfThePatient() {
        QueryResponse response = leaf(getAll(PATIENT));
        assertThat(mine(response)).isEqualTo(MINE);
        QueryResponse refs = client.query(objectRef(getAll(PATIENT)));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(MINE);
        int total = response.getDocumentEntries().size() + response.getSubmissionSets().size()
                + response.getFolders().size() + response.getAssociations().size();
        assertThat(refs.getReferences()).hasSize(total);
        assertThat(response.getDocumentEntries()).allSatisfy(e -> assertThat(e.getPatientId().getId()).isEqualTo(PATIENT));
    }

    // ------------------------------------------------------------------ id-based queries

    @Test
    void getDocumentsByUuidAndByUniqueId() {
        GetDocumentsQuery byUuid = new GetDocumentsQuery();
        byUuid.setUuids(List.of(a1.getEntryUuid(), c1.getEntryUuid()));
        assertThat(mine(leaf(byUuid))).isEqualTo(uuids(a1, c1));

        GetDocumentsQuery byUniqueId = new GetDocumentsQuery();
        byUniqueId.setUniqueIds(List.of(a2.getUniqueId()));
        assertThat(mine(leaf(byUniqueId))).isEqualTo(uuids(a2));
        QueryResponse refs = client.query(objectRef(byUniqueId));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(a2));

        GetDocumentsQuery unknown = new GetDocumentsQuery();
        unknown.setUuids(List.of(Submission.uuid()));
        QueryResponse none = leaf(unknown);
        assertThat(none.getDocumentEntries()).isEmpty();
    }

    @Test
    void getFolders() {
        GetFoldersQuery byUuid = new GetFoldersQuery();
        byUuid.setUuids(List.of(f1.getEntryUuid()));
        assertThat(mine(leaf(byUuid))).isEqualTo(uuids(f1));
        GetFoldersQuery byUniqueId = new GetFoldersQuery();
        byUniqueId.setUniqueIds(List.of(f1.getUniqueId()));
        QueryResponse refs = client.query(objectRef(byUniqueId));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(f1));
    }

    @Test
    void getAssociations() {
        GetAssociationsQuery query = new GetAssociationsQuery();
        query.setUuids(List.of(a1.getEntryUuid()));
        QueryResponse response = leaf(query);
        assertThat(response.getDocumentEntries()).isEmpty();
        assertThat(mine(response)).isEqualTo(uuids(ssA.associations().get(0), f1HasA1, appendB1A1));
        assertThat(response.getAssociations()).filteredOn(a -> a.getEntryUuid().equals(appendB1A1.getEntryUuid()))
                .singleElement().satisfies(a -> {
                    assertThat(a.getAssociationType()).isEqualTo(AssociationType.APPEND);
                    assertThat(a.getSourceUuid()).isEqualTo(b1.getEntryUuid());
                    assertThat(a.getTargetUuid()).isEqualTo(a1.getEntryUuid());
                });
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(ssA.associations().get(0), f1HasA1, appendB1A1));
    }

    @Test
    void getDocumentsAndAssociations() {
        GetDocumentsAndAssociationsQuery query = new GetDocumentsAndAssociationsQuery();
        query.setUniqueIds(List.of(a1.getUniqueId()));
        QueryResponse response = leaf(query);
        assertThat(mine(response)).isEqualTo(uuids(a1, ssA.associations().get(0), f1HasA1, appendB1A1));
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(a1, ssA.associations().get(0), f1HasA1, appendB1A1));
    }

    @Test
    void getSubmissionSets() {
        GetSubmissionSetsQuery query = new GetSubmissionSetsQuery();
        query.setUuids(List.of(a1.getEntryUuid(), c2.getEntryUuid()));
        QueryResponse response = leaf(query);
        Association ssAHasA1 = ssA.associations().get(0);
        Association ssDHasC2 = ssD.associations().get(0);
        assertThat(mine(response)).isEqualTo(uuids(ssA.submissionSet(), ssD.submissionSet(), ssAHasA1, ssDHasC2));
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(ssA.submissionSet(), ssD.submissionSet(), ssAHasA1, ssDHasC2));
    }

    @Test
    void getSubmissionSetAndContents() {
        GetSubmissionSetAndContentsQuery query = new GetSubmissionSetAndContentsQuery();
        query.setUniqueId(ssA.submissionSet().getUniqueId());
        QueryResponse response = leaf(query);
        Set<String> everythingOfA = new HashSet<>(uuids(ssA.submissionSet(), a1, a2, f1));
        ssA.associations().forEach(a -> everythingOfA.add(a.getEntryUuid()));
        assertThat(mine(response)).isEqualTo(everythingOfA);

        GetSubmissionSetAndContentsQuery byUuid = new GetSubmissionSetAndContentsQuery();
        byUuid.setUuid(ssA.submissionSet().getEntryUuid());
        byUuid.setFormatCodes(List.of(Submission.FORMAT_KOS));
        QueryResponse filtered = leaf(byUuid);
        assertThat(filtered.getDocumentEntries()).extracting(DocumentEntry::getEntryUuid).containsExactly(a2.getEntryUuid());
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(everythingOfA);
    }

    @Test
    void getFolderAndContents() {
        GetFolderAndContentsQuery query = new GetFolderAndContentsQuery();
        query.setUniqueId(f1.getUniqueId());
        QueryResponse response = leaf(query);
        assertThat(mine(response)).isEqualTo(uuids(f1, a1, f1HasA1));
        query.setUniqueId(null);
        query.setUuid(f1.getEntryUuid());
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(f1, a1, f1HasA1));
    }

    @Test
    void getFoldersForDocument() {
        GetFoldersForDocumentQuery query = new GetFoldersForDocumentQuery();
        query.setUniqueId(a1.getUniqueId());
        assertThat(mine(leaf(query))).isEqualTo(uuids(f1));
        GetFoldersForDocumentQuery notInAFolder = new GetFoldersForDocumentQuery();
        notInAFolder.setUuid(a2.getEntryUuid());
        assertThat(mine(leaf(notInAFolder))).isEmpty();
        QueryResponse refs = client.query(objectRef(query));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(f1));
    }

    @Test
    void getRelatedDocuments() {
        GetRelatedDocumentsQuery query = new GetRelatedDocumentsQuery();
        query.setUuid(a1.getEntryUuid());
        query.setAssociationTypes(List.of(AssociationType.APPEND, AssociationType.REPLACE));
        assertThat(mine(leaf(query))).isEqualTo(uuids(a1, b1, appendB1A1));

        GetRelatedDocumentsQuery replaced = new GetRelatedDocumentsQuery();
        replaced.setUniqueId(c1.getUniqueId());
        replaced.setAssociationTypes(List.of(AssociationType.REPLACE));
        Association rplc = ssD.associations().stream().filter(a -> a.getAssociationType() == AssociationType.REPLACE)
                .findFirst().orElseThrow();
        assertThat(mine(leaf(replaced))).isEqualTo(uuids(c1, c2, rplc));
        QueryResponse refs = client.query(objectRef(replaced));
        assertSuccess(refs);
        assertThat(mineRefs(refs)).isEqualTo(uuids(c1, c2, rplc));

        GetRelatedDocumentsQuery none = new GetRelatedDocumentsQuery();
        none.setUuid(a2.getEntryUuid());
        none.setAssociationTypes(List.of(AssociationType.APPEND));
        assertThat(mine(leaf(none))).isEmpty();
    }

    // ------------------------------------------------------------------ refusals

    @Test
    void unknownPatientIsAnEmptySuccess() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(Patients.validButUnknown()));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse response = client.query(leafClass(query));
        assertSuccess(response);
        assertThat(response.getDocumentEntries()).isEmpty();
    }

    @Test
    void invalidBsnIsXdsUnknownPatientId() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(Patients.invalid()));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse response = client.query(leafClass(query));
        assertFailure(response, ErrorCode.UNKNOWN_PATIENT_ID);
        assertThat(response.getDocumentEntries()).isEmpty();
    }

    @Test
    void missingPatientIdIsXdsStoredQueryMissingParam() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse response = client.query(leafClass(query));
        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(errorCodes(response)).containsOnly(ErrorCode.STORED_QUERY_MISSING_PARAM.getOpcode());
    }

    @Test
    void missingStatusIsXdsStoredQueryMissingParam() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        QueryResponse response = client.query(leafClass(query));
        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(errorCodes(response)).containsOnly(ErrorCode.STORED_QUERY_MISSING_PARAM.getOpcode());
    }

    @Test
    void getDocumentsWithoutIdsIsRefused() {
        QueryResponse response = client.query(leafClass(new GetDocumentsQuery()));
        assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(errorCodes(response)).containsOnly(ErrorCode.STORED_QUERY_MISSING_PARAM.getOpcode());
    }

    @Test
    void tooManyResultsIsXdsTooManyResults() {
        String crowded = Patients.demo(6);
        Submission many = Submission.forPatient(crowded);
        Stream.generate(many::registryEntry).limit(SharedGateway.MAX_QUERY_RESULTS + 1).forEach(e -> { });
        assertSuccess(client.register(many.register()));

        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(crowded));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        for (QueryResponse response : List.of(client.query(leafClass(query)), client.query(objectRef(query)))) {
            assertFailure(response, ErrorCode.TOO_MANY_RESULTS);
            assertThat(response.getDocumentEntries()).isEmpty();
            assertThat(response.getReferences()).isEmpty();
        }

        // a narrower query of the same patient is answered
        query.setClassCodes(List.of(Submission.CLASS_REPORT));
        assertSuccess(client.query(leafClass(query)));
    }

    @Test
    void unknownStoredQueryIdIsXdsUnknownStoredQuery(Gateway gateway) {
        String unknownQuery = Submission.uuid();
        String request = RawSoap.sample("iti18-find-documents.xml")
                .replace("urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d", unknownQuery);
        HttpResponse<String> response = RawSoap.post(gateway.endpoint("registry/iti18"), request);
        assertThat(response.body()).contains("ResponseStatusType:Failure")
                .contains("errorCode=\"" + ErrorCode.UNKNOWN_STORED_QUERY.getOpcode() + "\"");
    }

    @Test
    void otherAssigningAuthorityIsXdsUnknownPatientId() {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(new org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable(PATIENT,
                new org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority("2.16.528.1.1007.3.3.12000001.2")));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse response = client.query(leafClass(query));
        assertFailure(response, ErrorCode.UNKNOWN_PATIENT_ID);
        assertThat(response.getDocumentEntries()).isEmpty();
    }
}
