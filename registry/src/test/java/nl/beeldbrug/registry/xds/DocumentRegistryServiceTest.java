package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.db.DataAccessException;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.testing.TestDatabase.RowCounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static nl.beeldbrug.registry.testing.SampleMetadata.BSN;
import static nl.beeldbrug.registry.testing.SampleMetadata.OTHER_BSN;
import static nl.beeldbrug.registry.testing.SampleMetadata.THIRD_BSN;
import static nl.beeldbrug.registry.testing.SampleMetadata.newUid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ITI-42 Register Document Set-b against a real PostgreSQL (ITI TF-2b 3.42, TF-3 4.1/4.2). */
@ExtendWith(RegistryDatabaseExtension.class)
class DocumentRegistryServiceTest {

    private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
    private static final String UUID_PATTERN = "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private final TestDatabase db;
    private final XdsStore store = new XdsStore();
    private final DocumentRegistryService registry;
    private final SampleMetadata sample = SampleMetadata.forPatient(BSN);

    DocumentRegistryServiceTest(TestDatabase db) {
        this.db = db;
        this.registry = new DocumentRegistryService(db.dataSource(), store, new PatientIndex(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @BeforeEach
    void knownPatients() {
        db.addPatient(BSN);
        db.addPatient(OTHER_BSN);
    }

    // ---------------------------------------------------------------- success

    @Test
    void registersSubmissionSetDocumentsAndAssociations() {
        String study = newUid();
        DocumentEntry kos = sample.kos(study);
        DocumentEntry report = sample.report(study);
        RegisterDocumentSet request = sample.register(kos, report);

        DocumentRegistryService.RegistrationResult result = registry.register(request);

        assertThat(result.resubmission()).isFalse();
        assertThat(result.documentEntryUuids()).hasSize(2).allMatch(u -> u.matches(UUID_PATTERN));
        assertThat(result.submissionSetUuid()).matches(UUID_PATTERN);
        assertThat(db.rowCounts()).isEqualTo(new RowCounts(3, 2, 0));

        DocumentEntry stored = (DocumentEntry) find(result.documentEntryUuids().get(0));
        assertThat(stored.getUniqueId()).isEqualTo(kos.getUniqueId());
        assertThat(stored.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
        assertThat(stored.getLogicalUuid()).isEqualTo(stored.getEntryUuid());
        assertThat(stored.getVersion().getVersionName()).isEqualTo("1");
        assertThat(stored.getReferenceIdList()).isEqualTo(kos.getReferenceIdList());
        assertThat(stored.getEventCodeList()).containsExactlyElementsOf(kos.getEventCodeList());
        assertThat(db.queryForString("select patient_bsn from registry_object where entry_uuid = ?", stored.getEntryUuid()))
                .isEqualTo(BSN.value());
        assertThat(db.queryForString("select hash from registry_object where entry_uuid = ?", stored.getEntryUuid()))
                .isEqualTo(kos.getHash());
        SubmissionSet set = (SubmissionSet) find(result.submissionSetUuid());
        assertThat(set.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
    }

    @Test
    void symbolicIdsAreReplacedByUuidsAlsoInAssociations() {
        DocumentEntry kos = sample.kos(newUid());
        RegisterDocumentSet request = sample.register(kos);
        Folder folder = sample.addFolder(request, kos);
        assertThat(kos.getEntryUuid()).isEqualTo("Document01");

        DocumentRegistryService.RegistrationResult result = registry.register(request);

        Set<String> objectUuids = Set.of(result.submissionSetUuid(), result.documentEntryUuids().get(0), folder.getEntryUuid());
        assertThat(objectUuids).hasSize(3).allMatch(u -> u.matches(UUID_PATTERN));
        List<Association> associations = associationsTouching(objectUuids);
        assertThat(associations).hasSize(4);
        Set<String> associationUuids = associations.stream().map(Association::getEntryUuid).collect(Collectors.toSet());
        for (Association a : associations) {
            assertThat(a.getEntryUuid()).matches(UUID_PATTERN);
            assertThat(a.getSourceUuid()).isIn(objectUuids);
            // a target is a registry object or (SubmissionSet -> folder membership) another association
            assertThat(a.getTargetUuid()).matches(UUID_PATTERN).satisfiesAnyOf(
                    t -> assertThat(t).isIn(objectUuids), t -> assertThat(t).isIn(associationUuids));
        }
        assertThat(associations).filteredOn(a -> a.getSourceUuid().equals(folder.getEntryUuid()))
                .singleElement().extracting(Association::getTargetUuid).isEqualTo(result.documentEntryUuids().get(0));
    }

    @Test
    void newFolderGetsLastUpdateTimeFromTheClock() {
        DocumentEntry kos = sample.kos(newUid());
        RegisterDocumentSet request = sample.register(kos);
        Folder folder = sample.addFolder(request, kos);

        registry.register(request);

        Folder stored = (Folder) find(folder.getEntryUuid());
        assertThat(stored.getLastUpdateTime().getDateTime().toInstant()).isEqualTo(NOW);
    }

    @Test
    void addingAnExistingDocumentToAnExistingFolderUpdatesTheFolder() {
        DocumentEntry kos = sample.kos(newUid());
        RegisterDocumentSet first = sample.register(kos);
        Folder folder = sample.addFolder(first);
        registryAt(NOW.minusSeconds(3600)).register(first);

        RegisterDocumentSet second = sample.register(sample.submissionSet());
        Association membership = sample.association(AssociationType.HAS_MEMBER, folder.getEntryUuid(), kos.getEntryUuid());
        second.getAssociations().add(membership);
        second.getAssociations().add(sample.association(AssociationType.HAS_MEMBER,
                second.getSubmissionSet().getEntryUuid(), membership.getEntryUuid()));
        registry.register(second);

        Folder stored = (Folder) find(folder.getEntryUuid());
        assertThat(stored.getLastUpdateTime().getDateTime().toInstant()).isEqualTo(NOW);
        assertThat(associationsTouching(Set.of(folder.getEntryUuid())))
                .filteredOn(a -> a.getSourceUuid().equals(folder.getEntryUuid()))
                .extracting(Association::getTargetUuid).containsExactly(kos.getEntryUuid());
    }

    // ---------------------------------------------------------------- all or nothing

    @Test
    void aFailingAssociationAtTheEndStoresNothing() {
        RegisterDocumentSet first = sample.register(sample.kos(newUid()));
        registry.register(first);
        RowCounts before = db.rowCounts();

        DocumentEntry kos = sample.kos(newUid());
        RegisterDocumentSet request = sample.register(kos, sample.report(newUid()));
        sample.addFolder(request, kos);
        request.getAssociations().add(sample.association(AssociationType.REPLACE, kos.getEntryUuid(),
                "urn:uuid:00000000-0000-4000-8000-000000000000")); // the last one refers to nothing

        assertThatThrownBy(() -> registry.register(request))
                .isInstanceOfSatisfying(XdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REGISTRY_METADATA_ERROR));
        assertThat(db.rowCounts()).isEqualTo(before);
    }

    @Test
    void aDatabaseFailureWhileWritingRollsBackWhatWasWritten() {
        RowCounts before = db.rowCounts();
        DocumentEntry kos = sample.kos(newUid());
        DocumentEntry tooLong = sample.report(newUid());
        tooLong.setUniqueId("1." + "2".repeat(200)); // beyond the column: fails after the submission set was inserted
        RegisterDocumentSet request = sample.register(kos, tooLong);

        assertThatThrownBy(() -> registry.register(request)).isInstanceOf(DataAccessException.class);
        assertThat(db.rowCounts()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- patient id

    @Test
    void invalidBsnIsUnknownPatientId() {
        RegisterDocumentSet request = sample.register(sample.kos(newUid()));
        Identifiable invalid = new Identifiable("999999991", new AssigningAuthority(nl.beeldbrug.registry.patient.Bsn.OID, "ISO"));
        setPatient(request, invalid);

        assertRefused(request, ErrorCode.UNKNOWN_PATIENT_ID);
    }

    @Test
    void wrongAssigningAuthorityIsUnknownPatientId() {
        RegisterDocumentSet request = sample.register(sample.kos(newUid()));
        setPatient(request, new Identifiable(BSN.value(), new AssigningAuthority("2.16.528.1.1007.99.217.3", "ISO")));

        assertRefused(request, ErrorCode.UNKNOWN_PATIENT_ID);
    }

    @Test
    void patientNotKnownInTheAffinityDomainIsUnknownPatientId() {
        SampleMetadata unknown = SampleMetadata.forPatient(THIRD_BSN);
        assertRefused(unknown.register(unknown.kos(newUid())), ErrorCode.UNKNOWN_PATIENT_ID);
    }

    @Test
    void documentOfAnotherPatientIsPatientIdDoesNotMatch() {
        DocumentEntry otherPatients = SampleMetadata.forPatient(OTHER_BSN).kos(newUid());
        RegisterDocumentSet request = sample.register(sample.kos(newUid()), otherPatients);

        assertRefused(request, ErrorCode.PATIENT_ID_DOES_NOT_MATCH);
    }

    @Test
    void folderOfAnotherPatientIsPatientIdDoesNotMatch() {
        RegisterDocumentSet request = sample.register(sample.kos(newUid()));
        Folder folder = sample.addFolder(request);
        folder.setPatientId(SampleMetadata.patientId(OTHER_BSN));

        assertRefused(request, ErrorCode.PATIENT_ID_DOES_NOT_MATCH);
    }

    @Test
    void referenceToAnotherPatientsDocumentIsPatientIdDoesNotMatch() {
        SampleMetadata other = SampleMetadata.forPatient(OTHER_BSN);
        DocumentEntry theirs = other.kos(newUid());
        registry.register(other.register(theirs));

        DocumentEntry mine = sample.kos(newUid());
        RegisterDocumentSet request = sample.register(mine);
        request.getAssociations().add(sample.association(AssociationType.APPEND, mine.getEntryUuid(), theirs.getEntryUuid()));

        assertRefused(request, ErrorCode.PATIENT_ID_DOES_NOT_MATCH);
    }

    // ---------------------------------------------------------------- unique ids

    @Test
    void identicalResubmissionIsAnsweredWithoutDuplicateRows() {
        DocumentEntry kos = sample.kos(newUid());
        SubmissionSet set = sample.submissionSet();
        RegisterDocumentSet request = sample.register(set, kos);
        String setUniqueId = set.getUniqueId();
        DocumentRegistryService.RegistrationResult first = registry.register(request);
        RowCounts after = db.rowCounts();

        // the source retries the very same message (same symbolic ids, uniqueIds and hash)
        SampleMetadata again = SampleMetadata.forPatient(BSN);
        DocumentEntry sameKos = again.kos(newUid());
        sameKos.setUniqueId(kos.getUniqueId());
        sameKos.setHash(kos.getHash());
        sameKos.setSize(kos.getSize());
        SubmissionSet sameSet = again.submissionSet();
        sameSet.setUniqueId(setUniqueId);

        DocumentRegistryService.RegistrationResult second = registry.register(again.register(sameSet, sameKos));

        assertThat(second.resubmission()).isTrue();
        assertThat(second.documentEntryUuids()).isEqualTo(first.documentEntryUuids());
        assertThat(second.submissionSetUuid()).isEqualTo(first.submissionSetUuid());
        assertThat(db.rowCounts()).isEqualTo(after);
    }

    @Test
    void aRetryRacingItsOriginalWaitsForItAndIsAnsweredAsResubmission() throws Exception {
        DocumentEntry kos = sample.kos(newUid());
        SubmissionSet set = sample.submissionSet();
        RegisterDocumentSet retry = sample.register(MetadataJson.copy(set), MetadataJson.copy(kos));
        RegisterDocumentSet original = sample.register(set, kos);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<DocumentRegistryService.RegistrationResult> racing = Database.inTransaction(db.dataSource(), c -> {
                registry.register(c, original); // stored, not yet committed
                Future<DocumentRegistryService.RegistrationResult> second = executor.submit(() -> registry.register(retry));
                // the retry cannot decide before the original commits (without a lock it would register a duplicate now)
                assertThatThrownBy(() -> second.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
                return second;
            });

            DocumentRegistryService.RegistrationResult second = racing.get(60, TimeUnit.SECONDS);
            assertThat(second.resubmission()).isTrue();
            assertThat(db.rowCounts()).isEqualTo(new RowCounts(2, 1, 0));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void sameDocumentUniqueIdWithDifferentHashIsNonIdenticalHash() {
        DocumentEntry kos = sample.kos(newUid());
        registry.register(sample.register(kos));
        RowCounts before = db.rowCounts();

        DocumentEntry changed = sample.kos(newUid());
        changed.setUniqueId(kos.getUniqueId());
        changed.setHash("0000000000000000000000000000000000000000");

        assertRefused(sample.register(changed), ErrorCode.NON_IDENTICAL_HASH);
        assertThat(db.rowCounts()).isEqualTo(before);
    }

    @Test
    void duplicateSubmissionSetUniqueIdIsDuplicateUniqueIdInRegistry() {
        SubmissionSet set = sample.submissionSet();
        registry.register(sample.register(set, sample.kos(newUid())));

        SubmissionSet sameId = sample.submissionSet();
        sameId.setUniqueId(set.getUniqueId());

        assertRefused(sample.register(sameId, sample.kos(newUid())), ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY);
    }

    @Test
    void duplicateFolderUniqueIdIsDuplicateUniqueIdInRegistry() {
        RegisterDocumentSet first = sample.register(sample.kos(newUid()));
        Folder folder = sample.addFolder(first);
        registry.register(first);

        RegisterDocumentSet second = sample.register(sample.kos(newUid()));
        sample.addFolder(second).setUniqueId(folder.getUniqueId());

        assertRefused(second, ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY);
    }

    @Test
    void uniqueIdUsedTwiceInOneSubmissionIsDuplicateUniqueIdInMessage() {
        DocumentEntry kos = sample.kos(newUid());
        DocumentEntry report = sample.report(newUid());
        report.setUniqueId(kos.getUniqueId());

        assertRefused(sample.register(kos, report), ErrorCode.REGISTRY_DUPLICATE_UNIQUE_ID_IN_MESSAGE);
    }

    @Test
    void entryUuidAlreadyInTheRegistryIsMetadataErrorNotADatabaseError() {
        DocumentEntry kos = sample.kos(newUid());
        kos.setEntryUuid("urn:uuid:5a0b7c1e-8f3d-4e2a-9b6c-1d2e3f4a5b6c");
        RegisterDocumentSet first = sample.register(kos);
        registry.register(first);

        DocumentEntry other = sample.report(newUid());
        other.setEntryUuid(kos.getEntryUuid());
        assertRefused(sample.register(other), ErrorCode.REGISTRY_METADATA_ERROR);
    }

    @Test
    void identicalResubmissionWithRealUuidsIsAlsoAResubmission() {
        DocumentEntry kos = sample.kos(newUid());
        SubmissionSet set = sample.submissionSet();
        kos.setEntryUuid("urn:uuid:7d8e9f0a-1b2c-4d3e-8f4a-5b6c7d8e9f0a");
        set.setEntryUuid("urn:uuid:0a9f8e7d-6c5b-4a3f-9e2d-1c0b9a8f7e6d");
        RegisterDocumentSet request = sample.register(set, kos);
        registry.register(request);
        RowCounts after = db.rowCounts();

        RegisterDocumentSet retry = sample.register(MetadataJson.copy(set), MetadataJson.copy(kos));

        DocumentRegistryService.RegistrationResult result = registry.register(retry);
        assertThat(result.resubmission()).isTrue();
        assertThat(result.documentEntryUuids()).containsExactly(kos.getEntryUuid());
        assertThat(db.rowCounts()).isEqualTo(after);
    }

    // ---------------------------------------------------------------- document relationships

    @Test
    void replacementDeprecatesTheOriginalAndJoinsItsFolders() {
        DocumentEntry original = sample.report(newUid());
        RegisterDocumentSet first = sample.register(original);
        Folder folder = sample.addFolder(first, original);
        registryAt(NOW.minusSeconds(86400)).register(first);
        String originalUuid = original.getEntryUuid();

        DocumentEntry replacement = sample.report(newUid());
        RegisterDocumentSet second = sample.register(replacement);
        second.getAssociations().add(sample.association(AssociationType.REPLACE, replacement.getEntryUuid(), originalUuid));
        registry.register(second);

        assertThat(find(originalUuid).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.DEPRECATED);
        assertThat(find(replacement.getEntryUuid()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
        List<Association> folderMembers = associationsTouching(Set.of(folder.getEntryUuid())).stream()
                .filter(a -> a.getSourceUuid().equals(folder.getEntryUuid())).toList();
        assertThat(folderMembers).extracting(Association::getTargetUuid)
                .containsExactlyInAnyOrder(originalUuid, replacement.getEntryUuid());
        assertThat(folderMembers).allMatch(a -> a.getAssociationType() == AssociationType.HAS_MEMBER
                && a.getAvailabilityStatus() == AvailabilityStatus.APPROVED && a.getEntryUuid().matches(UUID_PATTERN));
        assertThat(associationsTouching(Set.of(replacement.getEntryUuid())))
                .anyMatch(a -> a.getAssociationType() == AssociationType.REPLACE && a.getTargetUuid().equals(originalUuid));
        // ITI TF-3 4.1.9: the folder's lastUpdateTime changes when a document joins it
        assertThat(((Folder) find(folder.getEntryUuid())).getLastUpdateTime().getDateTime().toInstant()).isEqualTo(NOW);
    }

    @Test
    void transformAndReplaceAlsoDeprecatesTheOriginal() {
        DocumentEntry original = sample.report(newUid());
        registry.register(sample.register(original));

        DocumentEntry transformed = sample.report(newUid());
        RegisterDocumentSet second = sample.register(transformed);
        second.getAssociations().add(sample.association(AssociationType.TRANSFORM_AND_REPLACE,
                transformed.getEntryUuid(), original.getEntryUuid()));
        registry.register(second);

        assertThat(find(original.getEntryUuid()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.DEPRECATED);
    }

    @Test
    void appendTransformAndSignsAreStoredAndLeaveTheOriginalApproved() {
        DocumentEntry original = sample.report(newUid());
        registry.register(sample.register(original));

        DocumentEntry addendum = sample.report(newUid());
        DocumentEntry transform = sample.report(newUid());
        DocumentEntry signature = sample.report(newUid());
        signature.setMimeType("text/xml");
        RegisterDocumentSet second = sample.register(addendum, transform, signature);
        second.getAssociations().add(sample.association(AssociationType.APPEND, addendum.getEntryUuid(), original.getEntryUuid()));
        second.getAssociations().add(sample.association(AssociationType.TRANSFORM, transform.getEntryUuid(), original.getEntryUuid()));
        second.getAssociations().add(sample.association(AssociationType.SIGNS, signature.getEntryUuid(), original.getEntryUuid()));
        registry.register(second);

        assertThat(find(original.getEntryUuid()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
        assertThat(associationsTouching(Set.of(original.getEntryUuid())))
                .filteredOn(a -> a.getTargetUuid().equals(original.getEntryUuid()) && a.getAssociationType() != AssociationType.HAS_MEMBER)
                .extracting(Association::getAssociationType, Association::getSourceUuid)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(AssociationType.APPEND, addendum.getEntryUuid()),
                        org.assertj.core.groups.Tuple.tuple(AssociationType.TRANSFORM, transform.getEntryUuid()),
                        org.assertj.core.groups.Tuple.tuple(AssociationType.SIGNS, signature.getEntryUuid()));
    }

    @Test
    void replacingADeprecatedDocumentIsDeprecatedDocumentError() {
        DocumentEntry original = sample.report(newUid());
        registry.register(sample.register(original));
        DocumentEntry firstReplacement = sample.report(newUid());
        RegisterDocumentSet second = sample.register(firstReplacement);
        second.getAssociations().add(sample.association(AssociationType.REPLACE, firstReplacement.getEntryUuid(), original.getEntryUuid()));
        registry.register(second);
        RowCounts before = db.rowCounts();

        DocumentEntry secondReplacement = sample.report(newUid());
        RegisterDocumentSet third = sample.register(secondReplacement);
        third.getAssociations().add(sample.association(AssociationType.REPLACE, secondReplacement.getEntryUuid(), original.getEntryUuid()));

        assertRefused(third, ErrorCode.REGISTRY_DEPRECATED_DOCUMENT_ERROR);
        assertThat(db.rowCounts()).isEqualTo(before);
    }

    @Test
    void appendingToADeprecatedDocumentIsDeprecatedDocumentError() {
        DocumentEntry original = sample.report(newUid());
        registry.register(sample.register(original));
        Database.inTransaction(db.dataSource(), c -> store.updateStatus(c, original.getEntryUuid(), AvailabilityStatus.DEPRECATED));

        DocumentEntry addendum = sample.report(newUid());
        RegisterDocumentSet request = sample.register(addendum);
        request.getAssociations().add(sample.association(AssociationType.APPEND, addendum.getEntryUuid(), original.getEntryUuid()));

        assertRefused(request, ErrorCode.REGISTRY_DEPRECATED_DOCUMENT_ERROR);
    }

    @Test
    void missingSubmissionSetIsMetadataError() {
        RegisterDocumentSet request = sample.register(sample.kos(newUid()));
        request.setSubmissionSet(null);
        assertRefused(request, ErrorCode.REGISTRY_METADATA_ERROR);
    }

    // ---------------------------------------------------------------- helpers

    private void assertRefused(RegisterDocumentSet request, ErrorCode code) {
        RowCounts before = db.rowCounts();
        assertThatThrownBy(() -> registry.register(request))
                .isInstanceOfSatisfying(XdsException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.errors()).isNotEmpty();
                    assertThat(e.getMessage()).doesNotContain(BSN.value()).doesNotContain(OTHER_BSN.value());
                });
        assertThat(db.rowCounts()).isEqualTo(before);
    }

    private DocumentRegistryService registryAt(Instant now) {
        return new DocumentRegistryService(db.dataSource(), store, new PatientIndex(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static void setPatient(RegisterDocumentSet request, Identifiable patientId) {
        request.getSubmissionSet().setPatientId(patientId);
        request.getDocumentEntries().forEach(d -> d.setPatientId(patientId));
        request.getFolders().forEach(f -> f.setPatientId(patientId));
    }

    private XDSMetaClass find(String uuid) {
        return Database.read(db.dataSource(), c -> store.findByUuid(c, uuid)).orElseThrow();
    }

    private List<Association> associationsTouching(Set<String> uuids) {
        return Database.read(db.dataSource(), c -> store.findAssociationsTouching(c, uuids));
    }

}
