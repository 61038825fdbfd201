package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.PatientIds;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import javax.sql.DataSource;
import java.util.List;
import java.util.function.Consumer;

import static nl.beeldbrug.registry.xds.update.XdsFixture.CLOCK;
import static nl.beeldbrug.registry.xds.update.XdsFixture.OTHER_PATIENT;
import static nl.beeldbrug.registry.xds.update.XdsFixture.PATIENT;
import static nl.beeldbrug.registry.xds.update.XdsFixture.nextVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus.APPROVED;
import static org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus.DEPRECATED;

/** ITI-57 Update Document Set: every refusal carries its XDS error code and leaves the registry as it was. */
@ExtendWith(RegistryDatabaseExtension.class)
class MetadataUpdateRefusalTest {

    private final XdsFixture xds;
    private final MetadataUpdateService service;

    MetadataUpdateRefusalTest(DataSource dataSource) {
        xds = new XdsFixture(dataSource);
        service = new MetadataUpdateService(dataSource, new XdsStore(), new PatientIndex(), CLOCK);
    }

    @Test
    void unknownLogicalUuid() {
        DocumentEntry orphan = XdsFixture.documentEntry(PATIENT);
        orphan.setLogicalUuid(XdsFixture.uuid());
        xds.registerDocument(PATIENT);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(orphan, "1").build()),
                ErrorCode.METADATA_UPDATE_ERROR, orphan.getEntryUuid());
    }

    @Test
    void logicalUuidOfAnotherKindOfObject() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        Folder folder = nextVersion((Folder) xds.object(registered.folderUuid()));
        folder.setLogicalUuid(registered.documentUuid());

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(folder, "1").build()),
                ErrorCode.METADATA_UPDATE_ERROR, folder.getEntryUuid());
    }

    @Test
    void previousVersionIsNotTheCurrentVersion() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build());
        DocumentEntry stale = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        RegisterDocumentSet request = new UpdateRequestBuilder(PATIENT).version(stale, "1").build();

        assertRefused(() -> service.update(request), ErrorCode.METADATA_VERSION_ERROR, request.getAssociations().get(0).getEntryUuid());
    }

    @Test
    void previousVersionIsMissing() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(v2, null).build()),
                ErrorCode.METADATA_VERSION_ERROR, null);
    }

    @Test
    void folderPreviousVersionIsNotTheCurrentVersion() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        Folder v2 = nextVersion((Folder) xds.object(registered.folderUuid()));

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(v2, "2").build()),
                ErrorCode.METADATA_VERSION_ERROR, null);
    }

    @Test
    void patientIdChangeIsRefused() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry moved = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        moved.setPatientId(PatientIds.of(OTHER_PATIENT));

        assertRefused(() -> service.update(new UpdateRequestBuilder(OTHER_PATIENT).version(moved, "1").build()),
                ErrorCode.PATIENT_ID_RECONCILIATION_ERROR, moved.getEntryUuid());
    }

    @Test
    void folderPatientIdChangeIsRefused() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        Folder moved = nextVersion((Folder) xds.object(registered.folderUuid()));
        moved.setPatientId(PatientIds.of(OTHER_PATIENT));

        assertRefused(() -> service.update(new UpdateRequestBuilder(OTHER_PATIENT).version(moved, "1").build()),
                ErrorCode.PATIENT_ID_RECONCILIATION_ERROR, moved.getEntryUuid());
    }

    @Test
    void newVersionInAnotherPatientsSubmissionSet() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));

        assertRefused(() -> service.update(new UpdateRequestBuilder(OTHER_PATIENT).version(v2, "1").build()),
                ErrorCode.PATIENT_ID_DOES_NOT_MATCH, v2.getEntryUuid());
    }

    @Test
    void twoNewVersionsOfOneObject() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry stored = (DocumentEntry) xds.object(registered.documentUuid());

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT)
                        .version(nextVersion(stored), "1").version(nextVersion(stored), "1").build()),
                ErrorCode.METADATA_UPDATE_ERROR, null);
    }

    @Test
    void newVersionWithoutSubmissionSetHasMember() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        RegisterDocumentSet request = new UpdateRequestBuilder(PATIENT).version(v2, "1").build();
        request.getAssociations().clear();

        assertRefused(() -> service.update(request), ErrorCode.METADATA_UPDATE_OPERATION_ERROR, v2.getEntryUuid());
    }

    @Test
    void updateWithoutOperations() {
        xds.registerDocument(PATIENT);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).build()),
                ErrorCode.METADATA_UPDATE_OPERATION_ERROR, null);
    }

    @Test
    void newVersionReusesARegisteredEntryUuid() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        XdsFixture.Registered other = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        v2.setEntryUuid(other.documentUuid());

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build()),
                ErrorCode.METADATA_UPDATE_ERROR, other.documentUuid());
    }

    @Test
    void submissionSetUniqueIdAlreadyRegistered() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        UpdateRequestBuilder request = new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), APPROVED, DEPRECATED);
        request.submissionSet().setUniqueId(xds.object(registered.submissionSetUuid()).getUniqueId());

        assertRefused(() -> service.update(request.build()), ErrorCode.DUPLICATE_UNIQUE_ID_IN_REGISTRY, null);
    }

    /** The attributes that identify the document itself. */
    enum Immutable {
        UNIQUE_ID(e -> e.setUniqueId(XdsFixture.oid())),
        HASH(e -> e.setHash("0000000000000000000000000000000000000000")),
        SIZE(e -> e.setSize(e.getSize() + 1)),
        REPOSITORY_UNIQUE_ID(e -> e.setRepositoryUniqueId("1.2.3.4")),
        ENTRY_TYPE(e -> e.setType(DocumentEntryType.ON_DEMAND));

        final Consumer<DocumentEntry> change;

        Immutable(Consumer<DocumentEntry> change) {
            this.change = change;
        }
    }

    @ParameterizedTest
    @EnumSource(Immutable.class)
    void immutableDocumentAttributeChanged(Immutable attribute) {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        attribute.change.accept(v2);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build()),
                ErrorCode.METADATA_UPDATE_ERROR, v2.getEntryUuid());
    }

    @Test
    void folderUniqueIdChanged() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        Folder v2 = nextVersion((Folder) xds.object(registered.folderUuid()));
        v2.setUniqueId(XdsFixture.oid());

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build()),
                ErrorCode.METADATA_UPDATE_ERROR, v2.getEntryUuid());
    }

    @Test
    void initialVersionInAnUpdate() {
        xds.registerDocument(PATIENT);
        DocumentEntry initial = XdsFixture.documentEntry(PATIENT);
        initial.setLogicalUuid(initial.getEntryUuid());

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).version(initial, "1").build()),
                ErrorCode.INVALID_REQUEST_EXCEPTION, initial.getEntryUuid());
    }

    @Test
    void wrongOriginalStatus() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        RegisterDocumentSet request = new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), DEPRECATED, APPROVED).build();

        assertRefused(() -> service.update(request), ErrorCode.METADATA_UPDATE_OPERATION_ERROR, request.getAssociations().get(0).getEntryUuid());
    }

    @Test
    void wrongOriginalStatusOfAFolder() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).status(registered.folderUuid(), DEPRECATED, APPROVED).build()),
                ErrorCode.METADATA_UPDATE_OPERATION_ERROR, null);
    }

    @Test
    void statusChangeToTheSameStatus() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), APPROVED, APPROVED).build()),
                ErrorCode.METADATA_UPDATE_OPERATION_ERROR, null);
    }

    @Test
    void statusChangeWithoutOriginalStatus() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), null, DEPRECATED).build()),
                ErrorCode.METADATA_UPDATE_OPERATION_ERROR, null);
    }

    @Test
    void statusChangeOfAnUnknownObject() {
        xds.registerDocument(PATIENT);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).status(XdsFixture.uuid(), APPROVED, DEPRECATED).build()),
                ErrorCode.METADATA_UPDATE_ERROR, null);
    }

    @Test
    void statusChangeOfAnOlderVersion() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build());

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), DEPRECATED, APPROVED).build()),
                ErrorCode.METADATA_VERSION_ERROR, null);
    }

    @Test
    void statusChangeOfAnotherPatientsDocument() {
        XdsFixture.Registered registered = xds.registerDocument(OTHER_PATIENT);

        assertRefused(() -> service.update(new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), APPROVED, DEPRECATED).build()),
                ErrorCode.PATIENT_ID_DOES_NOT_MATCH, null);
    }

    @Test
    void unsupportedAssociation() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        UpdateRequestBuilder request = new UpdateRequestBuilder(PATIENT).version(v2, "1");
        request.association(XdsFixture.association(AssociationType.REPLACE, v2.getEntryUuid(), registered.documentUuid()));

        assertRefused(() -> service.update(request.build()), ErrorCode.METADATA_UPDATE_OPERATION_ERROR, null);
    }

    @Test
    void unknownPatient() {
        xds.registerDocument(PATIENT);
        Bsn unknown = Bsn.of("999999990"); // passes the elfproef, never added to the patient index

        assertRefused(() -> service.update(new UpdateRequestBuilder(unknown).status(XdsFixture.uuid(), APPROVED, DEPRECATED).build()),
                ErrorCode.UNKNOWN_PATIENT_ID, null);
    }

    @Test
    void oneBadOperationRefusesTheWholeUpdate() {
        XdsFixture.Registered first = xds.registerDocumentInFolder(PATIENT);
        XdsFixture.Registered second = xds.registerDocument(PATIENT);
        DocumentEntry good = nextVersion((DocumentEntry) xds.object(first.documentUuid()));
        good.setTitle(new LocalizedString("would be stored"));
        Folder goodFolder = nextVersion((Folder) xds.object(first.folderUuid()));
        RegisterDocumentSet request = new UpdateRequestBuilder(PATIENT)
                .version(good, "1")
                .version(goodFolder, "1")
                .status(second.documentUuid(), APPROVED, DEPRECATED)
                .status(second.submissionSetUuid(), APPROVED, DEPRECATED)
                .build();

        assertRefused(() -> service.update(request), ErrorCode.METADATA_UPDATE_OPERATION_ERROR, null);
        assertThat(xds.exists(good.getEntryUuid())).isFalse();
        assertThat(xds.status(second.documentUuid())).isEqualTo(APPROVED);
    }

    /**
     * Asserts the refusal's error code (and codeContext location when given) and that no row of the
     * registry was added, removed or changed.
     */
    private void assertRefused(ThrowingCallable update, ErrorCode code, String location) {
        List<String> before = xds.snapshot();
        long objects = xds.count("registry_object");
        long associations = xds.count("association");

        assertThatThrownBy(update).isInstanceOfSatisfying(XdsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (location != null) {
                assertThat(e.errors().get(0).getLocation()).isEqualTo(location);
            }
        });

        assertThat(xds.count("registry_object")).isEqualTo(objects);
        assertThat(xds.count("association")).isEqualTo(associations);
        assertThat(xds.snapshot()).isEqualTo(before);
    }
}
