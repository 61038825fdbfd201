package nl.beeldbrug.registry.xds.delete;

import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import nl.beeldbrug.registry.xds.update.MetadataUpdateService;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.xds.update.XdsFixture;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static nl.beeldbrug.registry.xds.update.XdsFixture.CLOCK;
import static nl.beeldbrug.registry.xds.update.XdsFixture.OTHER_PATIENT;
import static nl.beeldbrug.registry.xds.update.XdsFixture.PATIENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ITI-62 Delete Document Set: what is deleted, what is refused, and that a refusal deletes nothing. */
@ExtendWith(RegistryDatabaseExtension.class)
class DeleteDocumentSetServiceTest {

    private final XdsFixture xds;
    private final DeleteDocumentSetService service;

    DeleteDocumentSetServiceTest(DataSource dataSource) {
        xds = new XdsFixture(dataSource);
        service = new DeleteDocumentSetService(dataSource, new XdsStore());
    }

    @Test
    void deletesASubmissionWithItsDocumentAndAssociationButKeepsTheContent() {
        XdsFixture.Registered provided = xds.provideDocument(PATIENT, "DICM".getBytes(StandardCharsets.US_ASCII));
        XdsFixture.Registered other = xds.registerDocument(PATIENT);
        long contentRows = xds.count("document_content");

        DeleteDocumentSetService.DeleteResult result = service.delete(
                remove(provided.submissionSetUuid(), provided.documentUuid(), provided.hasMemberUuid()));

        assertThat(result.deletedUuids()).containsExactlyInAnyOrder(
                provided.submissionSetUuid(), provided.documentUuid(), provided.hasMemberUuid());
        assertThat(result.patients()).containsExactly(PATIENT);
        assertThat(xds.exists(provided.submissionSetUuid())).isFalse();
        assertThat(xds.exists(provided.documentUuid())).isFalse();
        assertThat(xds.exists(provided.hasMemberUuid())).isFalse();
        assertThat(xds.count("document_content")).isEqualTo(contentRows).isEqualTo(1);
        assertThat(xds.exists(other.documentUuid())).isTrue();
        assertThat(xds.count("registry_object")).isEqualTo(2);
        assertThat(xds.count("association")).isEqualTo(1);
    }

    @Test
    void deletesAFolderWithItsMembershipsAndLeavesTheDocument() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        service.delete(remove(registered.folderUuid(), registered.folderHasMemberUuid(),
                registered.membershipUuid(), registered.membershipHasMemberUuid()));

        assertThat(xds.exists(registered.folderUuid())).isFalse();
        assertThat(xds.exists(registered.membershipUuid())).isFalse();
        assertThat(xds.exists(registered.documentUuid())).isTrue();
        assertThat(xds.associationsTouching(registered.documentUuid()))
                .singleElement().satisfies(a -> assertThat(a.getEntryUuid()).isEqualTo(registered.hasMemberUuid()));
    }

    @Test
    void deletesAFolderMembershipAlone() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        service.delete(remove(registered.membershipUuid(), registered.membershipHasMemberUuid()));

        assertThat(xds.exists(registered.membershipUuid())).isFalse();
        assertThat(xds.exists(registered.membershipHasMemberUuid())).isFalse();
        assertThat(xds.exists(registered.folderUuid())).isTrue();
        assertThat(xds.exists(registered.documentUuid())).isTrue();
        assertThat(xds.count("association")).isEqualTo(2);
    }

    @Test
    void deletesOneVersionOfAnUpdatedDocument() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = XdsFixture.nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        RegisterDocumentSet update = new RegisterDocumentSet();
        SubmissionSet set = XdsFixture.submissionSet(PATIENT);
        update.setSubmissionSet(set);
        update.getDocumentEntries().add(v2);
        Association hasMember = XdsFixture.association(AssociationType.HAS_MEMBER, set.getEntryUuid(), v2.getEntryUuid());
        hasMember.setPreviousVersion("1");
        update.getAssociations().add(hasMember);
        new MetadataUpdateService(xds.dataSource(), new XdsStore(), new PatientIndex(), CLOCK).update(update);

        service.delete(remove(set.getEntryUuid(), v2.getEntryUuid(), hasMember.getEntryUuid()));

        assertThat(xds.exists(v2.getEntryUuid())).isFalse();
        assertThat(xds.status(registered.documentUuid())).isEqualTo(AvailabilityStatus.DEPRECATED);
    }

    @Test
    void reportsEveryPatientWhoseMetadataWasDeleted() {
        XdsFixture.Registered mine = xds.registerDocument(PATIENT);
        XdsFixture.Registered theirs = xds.registerDocument(OTHER_PATIENT);

        DeleteDocumentSetService.DeleteResult result = service.delete(remove(
                mine.submissionSetUuid(), mine.documentUuid(), mine.hasMemberUuid(),
                theirs.submissionSetUuid(), theirs.documentUuid(), theirs.hasMemberUuid()));

        assertThat(result.patients()).containsExactlyInAnyOrder(PATIENT, OTHER_PATIENT);
    }

    @Test
    void unknownUuidIsUnresolvedAndNothingIsDeleted() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        String unknown = XdsFixture.uuid();

        assertRefused(() -> service.delete(remove(registered.submissionSetUuid(), registered.documentUuid(),
                registered.hasMemberUuid(), unknown)), ErrorCode.UNRESOLVED_REFERENCE_EXCEPTION, unknown);
    }

    @Test
    void documentStillReferencedByItsSubmissionSet() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);

        assertRefused(() -> service.delete(remove(registered.documentUuid())),
                ErrorCode.REFERENCE_EXISTS_EXCEPTION, registered.documentUuid());
    }

    @Test
    void submissionSetStillReferencingItsDocument() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);

        assertRefused(() -> service.delete(remove(registered.submissionSetUuid(), registered.documentUuid())),
                ErrorCode.REFERENCE_EXISTS_EXCEPTION, null);
    }

    @Test
    void folderStillHoldingADocument() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        assertRefused(() -> service.delete(remove(registered.folderUuid(), registered.folderHasMemberUuid())),
                ErrorCode.REFERENCE_EXISTS_EXCEPTION, registered.folderUuid());
    }

    @Test
    void associationStillListedByItsSubmissionSet() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        assertRefused(() -> service.delete(remove(registered.membershipUuid())),
                ErrorCode.REFERENCE_EXISTS_EXCEPTION, registered.membershipUuid());
    }

    @Test
    void deletingTheLastAssociationOfADocumentThatStays() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);

        assertRefused(() -> service.delete(remove(registered.hasMemberUuid())), ErrorCode.UNREFERENCED_OBJECT_EXCEPTION, null);
    }

    @Test
    void deletingEverythingAroundADocumentThatStays() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        assertRefused(() -> service.delete(remove(registered.submissionSetUuid(), registered.hasMemberUuid(),
                        registered.folderUuid(), registered.folderHasMemberUuid(),
                        registered.membershipUuid(), registered.membershipHasMemberUuid())),
                ErrorCode.UNREFERENCED_OBJECT_EXCEPTION, registered.documentUuid());
    }

    @Test
    void aFolderStaysReferencedByItsMembershipsWithoutItsSubmissionSetLink() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        service.delete(remove(registered.folderHasMemberUuid()));

        assertThat(xds.exists(registered.folderHasMemberUuid())).isFalse();
        assertThat(xds.exists(registered.folderUuid())).isTrue();
    }

    @Test
    void emptyRequest() {
        xds.registerDocument(PATIENT);

        assertRefused(() -> service.delete(new RemoveMetadata()), ErrorCode.REGISTRY_METADATA_ERROR, null);
    }

    private static RemoveMetadata remove(String... uuids) {
        RemoveMetadata request = new RemoveMetadata();
        for (String uuid : uuids) {
            request.getReferences().add(new ObjectReference(uuid));
        }
        return request;
    }

    /** Asserts the error code (and location when given) and that no row was deleted or changed. */
    private void assertRefused(ThrowingCallable delete, ErrorCode code, String location) {
        List<String> before = xds.snapshot();
        long objects = xds.count("registry_object");
        long associations = xds.count("association");
        long contents = xds.count("document_content");

        assertThatThrownBy(delete).isInstanceOfSatisfying(XdsException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (location != null) {
                assertThat(e.errors().get(0).getLocation()).isEqualTo(location);
            }
        });

        assertThat(xds.count("registry_object")).isEqualTo(objects);
        assertThat(xds.count("association")).isEqualTo(associations);
        assertThat(xds.count("document_content")).isEqualTo(contents);
        assertThat(xds.snapshot()).isEqualTo(before);
    }
}
