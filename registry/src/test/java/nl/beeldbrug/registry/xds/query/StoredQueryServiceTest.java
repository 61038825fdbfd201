package nl.beeldbrug.registry.xds.query;

import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentAvailability;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Hl7v2Based;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.TimeRange;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsByReferenceIdQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsForMultiplePatientsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindSubmissionSetsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetAllQuery;
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
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static java.util.List.of;
import static nl.beeldbrug.registry.testing.SampleMetadata.BSN;
import static nl.beeldbrug.registry.testing.SampleMetadata.CONFIDENTIALITY_NORMAL;
import static nl.beeldbrug.registry.testing.SampleMetadata.CONFIDENTIALITY_RESTRICTED;
import static nl.beeldbrug.registry.testing.SampleMetadata.FORMAT_KOS;
import static nl.beeldbrug.registry.testing.SampleMetadata.FORMAT_PDF;
import static nl.beeldbrug.registry.testing.SampleMetadata.MODALITY_CT;
import static nl.beeldbrug.registry.testing.SampleMetadata.MODALITY_MR;
import static nl.beeldbrug.registry.testing.SampleMetadata.OTHER_BSN;
import static nl.beeldbrug.registry.testing.SampleMetadata.PRACTICE_RADIOLOGY;
import static nl.beeldbrug.registry.testing.SampleMetadata.REGION_CHEST;
import static nl.beeldbrug.registry.testing.SampleMetadata.REGION_HEAD;
import static nl.beeldbrug.registry.testing.SampleMetadata.SNOMED;
import static nl.beeldbrug.registry.testing.SampleMetadata.STUDY_START;
import static nl.beeldbrug.registry.testing.SampleMetadata.TYPE_RADIOLOGY_REPORT;
import static nl.beeldbrug.registry.testing.SampleMetadata.code;
import static nl.beeldbrug.registry.testing.SampleMetadata.newUid;
import static nl.beeldbrug.registry.testing.SampleMetadata.radiologist;
import static nl.beeldbrug.registry.testing.SampleMetadata.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ITI-18 Registry Stored Query: each of the 14 stored queries of ITI TF-2a 3.18.4.1.2.3.7 over one
 * registry content (below, stored once for the class), as LeafClass and ObjectRef.
 * <pre>
 * patient BSN
 *   SS1 (day 0, Jansen, SOURCE_ID)     kos1 (study A, CT chest, N), report1 (study A), folder F1 {kos1}
 *   SS2 (day 1, de Vries, OTHER_SOURCE) kos2 (study B, MR head, R, surgery/clinic), onDemand (study B), folder F2 {}
 *   SS3 (day 2)                          report2 --RPLC--> report1 (now Deprecated)
 * patient OTHER_BSN
 *   SS4 (day 0)                          kosOther (study A)
 * </pre>
 */
@ExtendWith(RegistryDatabaseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // the queries only read: one registry content for all tests
class StoredQueryServiceTest {

    static final String OTHER_SOURCE = "2.16.528.1.1007.99.217.9";
    static final Code PRACTICE_SURGERY = code("394609007", "General surgery", SNOMED);
    static final Code FACILITY_CLINIC = code("288565001", "Medical centre", SNOMED);
    static final Code CONTENT_TYPE_OTHER = code("371530004", "Clinical consultation report", SNOMED);
    static final Instant DAY0 = STUDY_START.toInstant().plusSeconds(3600);

    private final TestDatabase db;
    private final XdsStore store = new XdsStore();
    private final StoredQueryService service;

    private final SampleMetadata sample = SampleMetadata.forPatient(BSN);
    private final String studyA = newUid();
    private final String studyB = newUid();
    private SubmissionSet ss1;
    private SubmissionSet ss2;
    private SubmissionSet ss3;
    private SubmissionSet ss4;
    private DocumentEntry kos1;
    private DocumentEntry report1;
    private DocumentEntry kos2;
    private DocumentEntry onDemand;
    private DocumentEntry report2;
    private DocumentEntry kosOther;
    private Folder f1;
    private Folder f2;
    private RegisterDocumentSet request1;

    StoredQueryServiceTest(TestDatabase db) {
        this.db = db;
        this.service = new StoredQueryService(db.dataSource(), store, 100);
    }

    @BeforeAll
    void registryContent() {
        db.addPatient(BSN);
        db.addPatient(OTHER_BSN);

        ss1 = sample.submissionSet();
        kos1 = sample.kos(studyA);
        report1 = sample.report(studyA);
        request1 = sample.register(ss1, kos1, report1);
        f1 = sample.addFolder(request1, kos1);
        registryAt(DAY0).register(request1);

        ss2 = sample.submissionSet();
        ss2.setSourceId(OTHER_SOURCE);
        ss2.setSubmissionTime(time(STUDY_START.plusDays(1).plusHours(1)));
        ss2.getAuthors().set(0, radiologist("de Vries", "Eva"));
        ss2.setContentTypeCode(CONTENT_TYPE_OTHER);
        kos2 = sample.kos(studyB);
        kos2.getEventCodeList().clear();
        kos2.getEventCodeList().addAll(of(MODALITY_MR, REGION_HEAD));
        kos2.getConfidentialityCodes().add(CONFIDENTIALITY_RESTRICTED);
        kos2.getAuthors().set(0, radiologist("de Vries", "Eva"));
        kos2.setPracticeSettingCode(PRACTICE_SURGERY);
        kos2.setHealthcareFacilityTypeCode(FACILITY_CLINIC);
        kos2.setCreationTime(time(STUDY_START.plusDays(1).plusMinutes(45)));
        kos2.setServiceStartTime(time(STUDY_START.plusDays(1)));
        kos2.setServiceStopTime(time(STUDY_START.plusDays(1).plusMinutes(30)));
        kos2.setDocumentAvailability(DocumentAvailability.ONLINE);
        onDemand = sample.report(studyB);
        onDemand.setType(DocumentEntryType.ON_DEMAND);
        onDemand.setHash(null);
        onDemand.setSize(null);
        RegisterDocumentSet request2 = sample.register(ss2, kos2, onDemand);
        f2 = sample.addFolder(request2);
        f2.getCodeList().clear();
        f2.getCodeList().add(REGION_HEAD);
        registryAt(DAY0.plusSeconds(86400)).register(request2);

        ss3 = sample.submissionSet();
        ss3.setSubmissionTime(time(STUDY_START.plusDays(2).plusHours(1)));
        report2 = sample.report(studyA);
        report2.setCreationTime(time(STUDY_START.plusDays(2)));
        RegisterDocumentSet request3 = sample.register(ss3, report2);
        request3.getAssociations().add(sample.association(AssociationType.REPLACE, report2.getEntryUuid(), report1.getEntryUuid()));
        registryAt(DAY0.plusSeconds(2 * 86400)).register(request3);

        SampleMetadata other = SampleMetadata.forPatient(OTHER_BSN);
        ss4 = other.submissionSet();
        kosOther = other.kos(studyA);
        registryAt(DAY0).register(other.register(ss4, kosOther));
    }

    private DocumentRegistryService registryAt(Instant now) {
        return new DocumentRegistryService(db.dataSource(), store, new PatientIndex(), Clock.fixed(now, ZoneOffset.UTC));
    }

    // ---------------------------------------------------------------- 1. FindDocuments

    @Nested
    class FindDocuments {

        private FindDocumentsQuery query(Consumer<FindDocumentsQuery> parameters) {
            FindDocumentsQuery q = new FindDocumentsQuery();
            q.setPatientId(sample.patientId());
            q.setStatus(of(AvailabilityStatus.APPROVED));
            parameters.accept(q);
            return q;
        }

        @Test
        void approvedStableDocumentsOfThePatientOnly() {
            assertThat(documents(leaf(query(q -> { })))).containsExactlyInAnyOrder(ids(kos1, kos2, report2));
        }

        @Test
        void statusSelectsDeprecatedOrBoth() {
            assertThat(documents(leaf(query(q -> q.setStatus(of(AvailabilityStatus.DEPRECATED)))))).containsExactly(ids(report1));
            assertThat(documents(leaf(query(q -> q.setStatus(of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2, report1, report2));
        }

        @Test
        void returnedEntriesCarryStatusVersionAndMetadata() {
            DocumentEntry found = leaf(query(q -> q.setStatus(of(AvailabilityStatus.DEPRECATED)))).getDocumentEntries().get(0);
            assertThat(found.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.DEPRECATED);
            assertThat(found.getVersion().getVersionName()).isEqualTo("1");
            assertThat(found.getUniqueId()).isEqualTo(report1.getUniqueId());
            assertThat(found.getReferenceIdList()).isEqualTo(report1.getReferenceIdList());
            assertThat(found.getAuthors()).isEqualTo(report1.getAuthors());
        }

        @Test
        void entryTypeDefaultsToStableAndSelectsOnDemand() {
            assertThat(documents(leaf(query(q -> q.setDocumentEntryTypes(of(DocumentEntryType.ON_DEMAND)))))).containsExactly(ids(onDemand));
            assertThat(documents(leaf(query(q -> q.setDocumentEntryTypes(of(DocumentEntryType.STABLE, DocumentEntryType.ON_DEMAND))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2, report2, onDemand));
        }

        @Test
        void classTypeFormatPracticeAndFacilityCodes() {
            assertThat(documents(leaf(query(q -> q.setClassCodes(of(SampleMetadata.CLASS_IMAGING))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2, report2));
            assertThat(documents(leaf(query(q -> q.setClassCodes(of(code("11488-4", "Consult note", SampleMetadata.LOINC)))))))
                    .isEmpty();
            assertThat(documents(leaf(query(q -> q.setTypeCodes(of(TYPE_RADIOLOGY_REPORT)))))).containsExactly(ids(report2));
            assertThat(documents(leaf(query(q -> q.setFormatCodes(of(FORMAT_KOS)))))).containsExactlyInAnyOrder(ids(kos1, kos2));
            assertThat(documents(leaf(query(q -> q.setFormatCodes(of(FORMAT_PDF, FORMAT_KOS))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2, report2));
            assertThat(documents(leaf(query(q -> q.setPracticeSettingCodes(of(PRACTICE_SURGERY)))))).containsExactly(ids(kos2));
            assertThat(documents(leaf(query(q -> q.setHealthcareFacilityTypeCodes(of(FACILITY_CLINIC)))))).containsExactly(ids(kos2));
            assertThat(documents(leaf(query(q -> q.setHealthcareFacilityTypeCodes(of(SampleMetadata.FACILITY_HOSPITAL))))))
                    .containsExactlyInAnyOrder(ids(kos1, report2));
        }

        @Test
        void eventCodesAreAndOfOrs() {
            assertThat(documents(leaf(query(q -> q.setEventCodes(andOf(of(MODALITY_CT), of(REGION_CHEST))))))).containsExactly(ids(kos1));
            assertThat(documents(leaf(query(q -> q.setEventCodes(andOf(of(MODALITY_CT, MODALITY_MR)))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2, report2));
            assertThat(documents(leaf(query(q -> q.setEventCodes(andOf(of(MODALITY_CT), of(REGION_HEAD))))))).isEmpty();
        }

        @Test
        void confidentialityCodes() {
            assertThat(documents(leaf(query(q -> q.setConfidentialityCodes(new QueryList<>(CONFIDENTIALITY_RESTRICTED))))))
                    .containsExactly(ids(kos2));
            assertThat(documents(leaf(query(q -> q.setConfidentialityCodes(new QueryList<>(CONFIDENTIALITY_NORMAL))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2, report2));
        }

        @Test
        void authorPersonPatterns() {
            assertThat(documents(leaf(query(q -> q.setAuthorPersons(of("%de Vries%")))))).containsExactly(ids(kos2));
            assertThat(documents(leaf(query(q -> q.setAuthorPersons(of("%Bakker%", "%Jansen^Pieter%"))))))
                    .containsExactlyInAnyOrder(ids(kos1, report2));
            assertThat(documents(leaf(query(q -> q.setAuthorPersons(of("%Bakker%")))))).isEmpty();
        }

        @Test
        void creationTimeFromInclusiveToExclusive() {
            ZonedDateTime kos1Created = STUDY_START.plusMinutes(45);
            assertThat(documents(leaf(query(q -> range(q.getCreationTime(), kos1Created, kos1Created.plusSeconds(1))))))
                    .containsExactly(ids(kos1));
            assertThat(documents(leaf(query(q -> range(q.getCreationTime(), kos1Created.minusSeconds(1), kos1Created)))))
                    .isEmpty();
            assertThat(documents(leaf(query(q -> range(q.getCreationTime(), kos1Created.plusSeconds(1), null)))))
                    .containsExactlyInAnyOrder(ids(kos2, report2));
            assertThat(documents(leaf(query(q -> range(q.getCreationTime(), null, STUDY_START.plusDays(2))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2));
        }

        @Test
        void serviceStartAndStopTimes() {
            assertThat(documents(leaf(query(q -> range(q.getServiceStartTime(), STUDY_START.plusHours(12), null)))))
                    .containsExactly(ids(kos2));
            assertThat(documents(leaf(query(q -> range(q.getServiceStopTime(), null, STUDY_START.plusMinutes(31))))))
                    .containsExactlyInAnyOrder(ids(kos1, report2));
        }

        @Test
        void documentAvailabilityAbsentInTheMetadataMeansOnline() {
            // ITI TF-3 4.2.3.2.7: documentAvailability defaults to Online when not present
            assertThat(documents(leaf(query(q -> q.setDocumentAvailability(of(DocumentAvailability.ONLINE))))))
                    .containsExactlyInAnyOrder(ids(kos1, kos2, report2));
            assertThat(documents(leaf(query(q -> q.setDocumentAvailability(of(DocumentAvailability.OFFLINE)))))).isEmpty();
        }

        @Test
        void objectRefReturnsOnlyUuids() {
            QueryResponse response = service.query(objectRef(query(q -> { })));
            assertThat(response.getStatus()).isEqualTo(Status.SUCCESS);
            assertThat(response.getDocumentEntries()).isEmpty();
            assertThat(response.getReferences()).extracting(ObjectReference::getId)
                    .containsExactlyInAnyOrder(kos1.getEntryUuid(), kos2.getEntryUuid(), report2.getEntryUuid());
        }

        @Test
        void patientIdOutsideTheBsnDomainIsUnknownPatientId() {
            FindDocumentsQuery q = query(x -> x.setPatientId(new Identifiable(BSN.value(), new AssigningAuthority("1.2.3.4", "ISO"))));
            assertThatThrownBy(() -> service.query(leafClass(q)))
                    .isInstanceOfSatisfying(XdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_PATIENT_ID));
        }

        @Test
        void patientWithoutDocumentsGetsAnEmptyAnswer() {
            FindDocumentsQuery q = query(x -> x.setPatientId(SampleMetadata.patientId(SampleMetadata.THIRD_BSN)));
            QueryResponse response = service.query(leafClass(q));
            assertThat(response.getStatus()).isEqualTo(Status.SUCCESS);
            assertThat(response.getDocumentEntries()).isEmpty();
        }
    }

    // ---------------------------------------------------------------- 2. FindSubmissionSets

    @Test
    void findSubmissionSets() {
        assertThat(submissionSets(leaf(findSubmissionSets(q -> { })))).containsExactlyInAnyOrder(ids(ss1, ss2, ss3));
        assertThat(submissionSets(leaf(findSubmissionSets(q -> q.setSourceIds(of(OTHER_SOURCE)))))).containsExactly(ids(ss2));
        assertThat(submissionSets(leaf(findSubmissionSets(q -> q.setAuthorPerson("%Vries%"))))).containsExactly(ids(ss2));
        assertThat(submissionSets(leaf(findSubmissionSets(q -> q.setContentTypeCodes(of(CONTENT_TYPE_OTHER)))))).containsExactly(ids(ss2));
        ZonedDateTime ss2Time = STUDY_START.plusDays(1).plusHours(1);
        assertThat(submissionSets(leaf(findSubmissionSets(q -> range(q.getSubmissionTime(), ss2Time, ss2Time.plusDays(1))))))
                .containsExactly(ids(ss2));
        assertThat(submissionSets(leaf(findSubmissionSets(q -> range(q.getSubmissionTime(), null, ss2Time)))))
                .containsExactly(ids(ss1));
        assertThat(submissionSets(leaf(findSubmissionSets(q -> q.setStatus(of(AvailabilityStatus.DEPRECATED)))))).isEmpty();
        QueryResponse refs = service.query(objectRef(findSubmissionSets(q -> q.setSourceIds(of(OTHER_SOURCE)))));
        assertThat(refs.getReferences()).extracting(ObjectReference::getId).containsExactly(ss2.getEntryUuid());
    }

    private FindSubmissionSetsQuery findSubmissionSets(Consumer<FindSubmissionSetsQuery> parameters) {
        FindSubmissionSetsQuery q = new FindSubmissionSetsQuery();
        q.setPatientId(sample.patientId());
        q.setStatus(of(AvailabilityStatus.APPROVED));
        parameters.accept(q);
        return q;
    }

    // ---------------------------------------------------------------- 3. FindFolders

    @Test
    void findFolders() {
        assertThat(folders(leaf(findFolders(q -> { })))).containsExactlyInAnyOrder(ids(f1, f2));
        assertThat(folders(leaf(findFolders(q -> q.setCodes(new QueryList<>(REGION_HEAD)))))).containsExactly(ids(f2));
        assertThat(folders(leaf(findFolders(q -> q.setCodes(andOf(of(REGION_HEAD, PRACTICE_RADIOLOGY))))))).containsExactlyInAnyOrder(ids(f1, f2));
        assertThat(folders(leaf(findFolders(q -> q.setCodes(andOf(of(REGION_HEAD), of(PRACTICE_RADIOLOGY))))))).isEmpty();
        ZonedDateTime day1 = DAY0.plusSeconds(86400).atZone(ZoneOffset.UTC);
        // f1 was last updated on day 0, f2 on day 1
        assertThat(folders(leaf(findFolders(q -> range(q.getLastUpdateTime(), day1, null))))).containsExactly(ids(f2));
        assertThat(folders(leaf(findFolders(q -> range(q.getLastUpdateTime(), null, day1))))).containsExactly(ids(f1));
        assertThat(folders(leaf(findFolders(q -> q.setStatus(of(AvailabilityStatus.DEPRECATED)))))).isEmpty();
    }

    private FindFoldersQuery findFolders(Consumer<FindFoldersQuery> parameters) {
        FindFoldersQuery q = new FindFoldersQuery();
        q.setPatientId(sample.patientId());
        q.setStatus(of(AvailabilityStatus.APPROVED));
        parameters.accept(q);
        return q;
    }

    // ---------------------------------------------------------------- 4. GetAll

    @Test
    void getAllReturnsThePatientsObjectsAndTheirAssociations() {
        GetAllQuery q = getAll(of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED));
        q.setDocumentEntryTypes(of(DocumentEntryType.STABLE, DocumentEntryType.ON_DEMAND));
        QueryResponse response = leaf(q);

        assertThat(documents(response)).containsExactlyInAnyOrder(ids(kos1, report1, kos2, onDemand, report2));
        assertThat(submissionSets(response)).containsExactlyInAnyOrder(ids(ss1, ss2, ss3));
        assertThat(folders(response)).containsExactlyInAnyOrder(ids(f1, f2));
        assertThat(response.getAssociations()).doesNotContainNull();
        // every association of the patient's content: the SubmissionSet and Folder memberships, the
        // SubmissionSet membership of the folder membership (F1 -> kos1), and the replacement
        assertThat(response.getAssociations()).extracting(Association::getEntryUuid)
                .containsExactlyInAnyOrderElementsOf(associationUuidsOf(BSN));
        assertThat(response.getAssociations()).anyMatch(a -> a.getAssociationType() == AssociationType.REPLACE);
    }

    @Test
    void getAllFiltersDocumentsByStatusFormatConfidentialityAndType() {
        assertThat(documents(leaf(getAll(of(AvailabilityStatus.APPROVED))))).containsExactlyInAnyOrder(ids(kos1, kos2, report2));
        GetAllQuery kosOnly = getAll(of(AvailabilityStatus.APPROVED));
        kosOnly.setFormatCodes(of(FORMAT_KOS));
        assertThat(documents(leaf(kosOnly))).containsExactlyInAnyOrder(ids(kos1, kos2));
        GetAllQuery restricted = getAll(of(AvailabilityStatus.APPROVED));
        restricted.setConfidentialityCodes(new QueryList<>(CONFIDENTIALITY_RESTRICTED));
        assertThat(documents(leaf(restricted))).containsExactly(ids(kos2));
        GetAllQuery onDemandOnly = getAll(of(AvailabilityStatus.APPROVED));
        onDemandOnly.setDocumentEntryTypes(of(DocumentEntryType.ON_DEMAND));
        assertThat(documents(leaf(onDemandOnly))).containsExactly(ids(onDemand));
        // the replacement points at a Deprecated document that is not returned
        assertThat(leaf(getAll(of(AvailabilityStatus.APPROVED))).getAssociations())
                .noneMatch(a -> a.getAssociationType() == AssociationType.REPLACE);
    }

    private GetAllQuery getAll(List<AvailabilityStatus> documentStatus) {
        GetAllQuery q = new GetAllQuery();
        q.setPatientId(sample.patientId());
        q.setStatusDocuments(documentStatus);
        q.setStatusSubmissionSets(of(AvailabilityStatus.APPROVED));
        q.setStatusFolders(of(AvailabilityStatus.APPROVED));
        return q;
    }

    // ---------------------------------------------------------------- 5. GetDocuments

    @Test
    void getDocumentsByUuidUniqueIdAndLogicalId() {
        GetDocumentsQuery byUuid = new GetDocumentsQuery();
        byUuid.setUuids(of(kos1.getEntryUuid(), report1.getEntryUuid(), "urn:uuid:00000000-0000-4000-8000-000000000000"));
        assertThat(documents(leaf(byUuid))).containsExactlyInAnyOrder(ids(kos1, report1));

        GetDocumentsQuery byUniqueId = new GetDocumentsQuery();
        byUniqueId.setUniqueIds(of(kos2.getUniqueId()));
        assertThat(documents(leaf(byUniqueId))).containsExactly(ids(kos2));

        GetDocumentsQuery byLogicalId = new GetDocumentsQuery();
        byLogicalId.setLogicalUuid(of(report2.getEntryUuid()));
        assertThat(documents(leaf(byLogicalId))).containsExactly(ids(report2));

        GetDocumentsQuery notADocument = new GetDocumentsQuery();
        notADocument.setUuids(of(ss1.getEntryUuid(), f1.getEntryUuid()));
        assertThat(leaf(notADocument).getDocumentEntries()).isEmpty();
        assertThat(leaf(notADocument).getFolders()).isEmpty();
    }

    // ---------------------------------------------------------------- 6. GetFolders

    @Test
    void getFoldersByUuidAndUniqueId() {
        GetFoldersQuery byUuid = new GetFoldersQuery();
        byUuid.setUuids(of(f1.getEntryUuid(), kos1.getEntryUuid()));
        assertThat(folders(leaf(byUuid))).containsExactly(ids(f1));
        assertThat(leaf(byUuid).getDocumentEntries()).isEmpty();

        GetFoldersQuery byUniqueId = new GetFoldersQuery();
        byUniqueId.setUniqueIds(of(f2.getUniqueId()));
        assertThat(folders(leaf(byUniqueId))).containsExactly(ids(f2));

        GetFoldersQuery byLogicalId = new GetFoldersQuery();
        byLogicalId.setLogicalUuid(of(f2.getEntryUuid()));
        assertThat(folders(leaf(byLogicalId))).containsExactly(ids(f2));
    }

    // ---------------------------------------------------------------- 7. GetAssociations

    @Test
    void getAssociationsOfAnObject() {
        GetAssociationsQuery q = new GetAssociationsQuery();
        q.setUuids(of(kos1.getEntryUuid()));
        QueryResponse response = leaf(q);

        assertThat(response.getDocumentEntries()).isEmpty();
        assertThat(response.getAssociations())
                .extracting(Association::getSourceUuid, Association::getAssociationType)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ss1.getEntryUuid(), AssociationType.HAS_MEMBER),
                        org.assertj.core.groups.Tuple.tuple(f1.getEntryUuid(), AssociationType.HAS_MEMBER));

        GetAssociationsQuery deprecatedOnly = new GetAssociationsQuery();
        deprecatedOnly.setUuids(of(kos1.getEntryUuid()));
        deprecatedOnly.setAssociationStatuses(of(AvailabilityStatus.DEPRECATED));
        assertThat(leaf(deprecatedOnly).getAssociations()).isEmpty();
    }

    // ---------------------------------------------------------------- 8. GetDocumentsAndAssociations

    @Test
    void getDocumentsAndAssociations() {
        GetDocumentsAndAssociationsQuery q = new GetDocumentsAndAssociationsQuery();
        q.setUniqueIds(of(report1.getUniqueId()));
        QueryResponse response = leaf(q);

        assertThat(documents(response)).containsExactly(ids(report1));
        assertThat(response.getAssociations())
                .extracting(Association::getAssociationType, Association::getSourceUuid, Association::getTargetUuid)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(AssociationType.HAS_MEMBER, ss1.getEntryUuid(), report1.getEntryUuid()),
                        org.assertj.core.groups.Tuple.tuple(AssociationType.REPLACE, report2.getEntryUuid(), report1.getEntryUuid()));
    }

    // ---------------------------------------------------------------- 9. GetSubmissionSets

    @Test
    void getSubmissionSetsOfDocumentsAndFolders() {
        GetSubmissionSetsQuery q = new GetSubmissionSetsQuery();
        q.setUuids(of(kos1.getEntryUuid(), f2.getEntryUuid()));
        QueryResponse response = leaf(q);

        assertThat(submissionSets(response)).containsExactlyInAnyOrder(ids(ss1, ss2));
        assertThat(response.getAssociations())
                .allMatch(a -> a.getAssociationType() == AssociationType.HAS_MEMBER)
                .extracting(Association::getSourceUuid, Association::getTargetUuid)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ss1.getEntryUuid(), kos1.getEntryUuid()),
                        org.assertj.core.groups.Tuple.tuple(ss2.getEntryUuid(), f2.getEntryUuid()));
        assertThat(response.getDocumentEntries()).isEmpty();
    }

    // ---------------------------------------------------------------- 10. GetSubmissionSetAndContents

    @Test
    void getSubmissionSetAndContents() {
        GetSubmissionSetAndContentsQuery q = new GetSubmissionSetAndContentsQuery();
        q.setUniqueId(ss1.getUniqueId());
        QueryResponse response = leaf(q);

        assertThat(submissionSets(response)).containsExactly(ids(ss1));
        assertThat(documents(response)).containsExactlyInAnyOrder(ids(kos1, report1));
        assertThat(folders(response)).containsExactly(ids(f1));
        // SS1 -> kos1, SS1 -> report1, SS1 -> F1, F1 -> kos1, SS1 -> (F1 -> kos1)
        assertThat(response.getAssociations()).extracting(Association::getEntryUuid)
                .containsExactlyInAnyOrderElementsOf(associationUuids(request1));

        GetSubmissionSetAndContentsQuery byUuid = new GetSubmissionSetAndContentsQuery();
        byUuid.setUuid(ss1.getEntryUuid());
        byUuid.setFormatCodes(of(FORMAT_PDF));
        QueryResponse reportsOnly = leaf(byUuid);
        assertThat(documents(reportsOnly)).containsExactly(ids(report1));
        assertThat(reportsOnly.getAssociations())
                .noneMatch(a -> a.getTargetUuid().equals(kos1.getEntryUuid()));
    }

    // ---------------------------------------------------------------- 11. GetFolderAndContents

    @Test
    void getFolderAndContents() {
        GetFolderAndContentsQuery q = new GetFolderAndContentsQuery();
        q.setUuid(f1.getEntryUuid());
        QueryResponse response = leaf(q);

        assertThat(folders(response)).containsExactly(ids(f1));
        assertThat(documents(response)).containsExactly(ids(kos1));
        assertThat(response.getAssociations()).singleElement().satisfies(a -> {
            assertThat(a.getSourceUuid()).isEqualTo(f1.getEntryUuid());
            assertThat(a.getTargetUuid()).isEqualTo(kos1.getEntryUuid());
        });

        GetFolderAndContentsQuery restricted = new GetFolderAndContentsQuery();
        restricted.setUniqueId(f1.getUniqueId());
        restricted.setConfidentialityCodes(new QueryList<>(CONFIDENTIALITY_RESTRICTED));
        QueryResponse none = leaf(restricted);
        assertThat(folders(none)).containsExactly(ids(f1));
        assertThat(none.getDocumentEntries()).isEmpty();
        assertThat(none.getAssociations()).isEmpty();
    }

    // ---------------------------------------------------------------- 12. GetFoldersForDocument

    @Test
    void getFoldersForDocument() {
        GetFoldersForDocumentQuery byUuid = new GetFoldersForDocumentQuery();
        byUuid.setUuid(kos1.getEntryUuid());
        assertThat(folders(leaf(byUuid))).containsExactly(ids(f1));

        GetFoldersForDocumentQuery byUniqueId = new GetFoldersForDocumentQuery();
        byUniqueId.setUniqueId(kos1.getUniqueId());
        assertThat(folders(leaf(byUniqueId))).containsExactly(ids(f1));

        GetFoldersForDocumentQuery notInAFolder = new GetFoldersForDocumentQuery();
        notInAFolder.setUuid(kos2.getEntryUuid());
        assertThat(leaf(notInAFolder).getFolders()).isEmpty();
    }

    // ---------------------------------------------------------------- 13. GetRelatedDocuments

    @Test
    void getRelatedDocuments() {
        GetRelatedDocumentsQuery fromReplacement = new GetRelatedDocumentsQuery();
        fromReplacement.setUuid(report2.getEntryUuid());
        fromReplacement.setAssociationTypes(of(AssociationType.REPLACE));
        QueryResponse response = leaf(fromReplacement);
        assertThat(documents(response)).containsExactlyInAnyOrder(ids(report2, report1));
        assertThat(response.getAssociations()).singleElement()
                .extracting(Association::getAssociationType).isEqualTo(AssociationType.REPLACE);

        GetRelatedDocumentsQuery fromOriginal = new GetRelatedDocumentsQuery();
        fromOriginal.setUniqueId(report1.getUniqueId());
        fromOriginal.setAssociationTypes(of(AssociationType.REPLACE, AssociationType.APPEND));
        assertThat(documents(leaf(fromOriginal))).containsExactlyInAnyOrder(ids(report1, report2));

        GetRelatedDocumentsQuery otherType = new GetRelatedDocumentsQuery();
        otherType.setUuid(report2.getEntryUuid());
        otherType.setAssociationTypes(of(AssociationType.APPEND));
        QueryResponse none = leaf(otherType);
        assertThat(none.getDocumentEntries()).isEmpty();
        assertThat(none.getAssociations()).isEmpty();
    }

    // ---------------------------------------------------------------- 14. FindDocumentsByReferenceId

    @Test
    void findDocumentsByStudyInstanceUid() {
        FindDocumentsByReferenceIdQuery q = new FindDocumentsByReferenceIdQuery();
        q.setPatientId(sample.patientId());
        q.setStatus(of(AvailabilityStatus.APPROVED));
        q.setReferenceIds(new QueryList<>(studyA + "^^^^urn:ihe:iti:xds:2013:uniqueId"));
        // the other patient's KOS of the same study is not returned
        assertThat(documents(leaf(q))).containsExactlyInAnyOrder(ids(kos1, report2));

        q.setFormatCodes(of(FORMAT_KOS));
        assertThat(documents(leaf(q))).containsExactly(ids(kos1));

        FindDocumentsByReferenceIdQuery typed = new FindDocumentsByReferenceIdQuery();
        typed.setPatientId(sample.patientId());
        typed.setStatus(of(AvailabilityStatus.APPROVED));
        typed.setTypedReferenceIds(new QueryList<>(SampleMetadata.studyReference(studyB)));
        assertThat(documents(leaf(typed))).containsExactly(ids(kos2));

        FindDocumentsByReferenceIdQuery accession = new FindDocumentsByReferenceIdQuery();
        accession.setPatientId(sample.patientId());
        accession.setStatus(of(AvailabilityStatus.APPROVED));
        accession.setReferenceIds(new QueryList<>(Hl7v2Based.render(kos1.getReferenceIdList().get(1))));
        assertThat(documents(leaf(accession))).containsExactly(ids(kos1));
    }

    // ---------------------------------------------------------------- limits and refusals

    @Test
    void moreResultsThanTheLimitIsTooManyResults() {
        StoredQueryService limited = new StoredQueryService(db.dataSource(), store, 2);
        FindDocumentsQuery q = new FindDocumentsQuery();
        q.setPatientId(sample.patientId());
        q.setStatus(of(AvailabilityStatus.APPROVED));

        assertThatThrownBy(() -> limited.query(leafClass(q)))
                .isInstanceOfSatisfying(XdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_RESULTS));
        assertThatThrownBy(() -> limited.query(objectRef(q)))
                .isInstanceOfSatisfying(XdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_RESULTS));

        q.setFormatCodes(of(FORMAT_KOS));
        assertThat(limited.query(leafClass(q)).getDocumentEntries()).hasSize(2);
    }

    @Test
    void queryNotOfferedIsUnknownStoredQuery() {
        FindDocumentsForMultiplePatientsQuery q = new FindDocumentsForMultiplePatientsQuery();
        q.setStatus(of(AvailabilityStatus.APPROVED));
        assertThatThrownBy(() -> service.query(leafClass(q)))
                .isInstanceOfSatisfying(XdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_STORED_QUERY));
    }

    // ---------------------------------------------------------------- helpers

    private static QueryRegistry leafClass(Query query) {
        QueryRegistry request = new QueryRegistry(query);
        request.setReturnType(QueryReturnType.LEAF_CLASS);
        return request;
    }

    private static QueryRegistry objectRef(Query query) {
        QueryRegistry request = new QueryRegistry(query);
        request.setReturnType(QueryReturnType.OBJECT_REF);
        return request;
    }

    private QueryResponse leaf(Query query) {
        QueryResponse response = service.query(leafClass(query));
        assertThat(response.getStatus()).isEqualTo(Status.SUCCESS);
        assertThat(response.getReferences()).isEmpty();
        // ObjectRef answers the same objects
        QueryResponse refs = service.query(objectRef(query));
        List<String> all = new ArrayList<>();
        response.getSubmissionSets().forEach(o -> all.add(o.getEntryUuid()));
        response.getFolders().forEach(o -> all.add(o.getEntryUuid()));
        response.getDocumentEntries().forEach(o -> all.add(o.getEntryUuid()));
        response.getAssociations().forEach(o -> all.add(o.getEntryUuid()));
        assertThat(refs.getReferences()).extracting(ObjectReference::getId).containsExactlyInAnyOrderElementsOf(all);
        return response;
    }

    /** Entries compared by entryUUID (the query answers full objects with status and version added). */
    private static List<String> documents(QueryResponse response) {
        return uuids(response.getDocumentEntries());
    }

    private static List<String> submissionSets(QueryResponse response) {
        return uuids(response.getSubmissionSets());
    }

    private static List<String> folders(QueryResponse response) {
        return uuids(response.getFolders());
    }

    private static String[] ids(XDSMetaClass... objects) {
        return java.util.Arrays.stream(objects).map(XDSMetaClass::getEntryUuid).toArray(String[]::new);
    }

    private static List<String> uuids(Collection<? extends XDSMetaClass> objects) {
        return objects.stream().map(XDSMetaClass::getEntryUuid).toList();
    }

    @SafeVarargs
    private static QueryList<Code> andOf(List<Code>... orLists) {
        QueryList<Code> list = new QueryList<>();
        for (List<Code> or : orLists) {
            list.getOuterList().add(or);
        }
        return list;
    }

    private static void range(TimeRange range, ZonedDateTime from, ZonedDateTime to) {
        if (from != null) {
            range.setFrom(time(from));
        }
        if (to != null) {
            range.setTo(time(to));
        }
    }

    private static Set<String> associationUuids(RegisterDocumentSet request) {
        return Set.copyOf(request.getAssociations().stream().map(Association::getEntryUuid).toList());
    }

    private List<String> associationUuidsOf(nl.beeldbrug.registry.patient.Bsn bsn) {
        List<String> uuids = new ArrayList<>();
        String sql = "select a.entry_uuid from association a join registry_object o on o.entry_uuid = a.source_uuid"
                + " where o.patient_bsn = ?";
        nl.beeldbrug.registry.db.Database.read(db.dataSource(), c -> {
            try (var ps = c.prepareStatement(sql)) {
                ps.setString(1, bsn.value());
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        uuids.add(rs.getString(1));
                    }
                }
            }
            return null;
        });
        assertThat(uuids).hasSize(10);
        return uuids;
    }
}
