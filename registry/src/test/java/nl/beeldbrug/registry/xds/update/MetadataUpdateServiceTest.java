package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;

import javax.sql.DataSource;
import java.time.ZonedDateTime;
import java.util.List;

import static nl.beeldbrug.registry.xds.update.XdsFixture.CLOCK;
import static nl.beeldbrug.registry.xds.update.XdsFixture.PATIENT;
import static nl.beeldbrug.registry.xds.update.XdsFixture.nextVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus.APPROVED;
import static org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus.DEPRECATED;

/** ITI-57 Update Document Set: the operations the registry accepts, and what they store. */
@ExtendWith(RegistryDatabaseExtension.class)
class MetadataUpdateServiceTest {

    private final XdsFixture xds;
    private final MetadataUpdateService service;

    MetadataUpdateServiceTest(DataSource dataSource) {
        xds = new XdsFixture(dataSource);
        service = new MetadataUpdateService(dataSource, new XdsStore(), new PatientIndex(), CLOCK);
    }

    @Test
    void newDocumentEntryVersionSupersedesTheCurrentOne() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        v2.setTitle(new LocalizedString("CT thorax met contrast"));
        UpdateRequestBuilder request = new UpdateRequestBuilder(PATIENT).version(v2, "1");

        MetadataUpdateService.UpdateResult result = service.update(request.build());

        assertThat(result.newVersionUuids()).containsExactly(v2.getEntryUuid());
        assertThat(result.submissionSetUuid()).isEqualTo(request.submissionSet().getEntryUuid());
        DocumentEntry stored = (DocumentEntry) xds.object(v2.getEntryUuid());
        assertThat(stored.getLogicalUuid()).isEqualTo(registered.documentUuid());
        assertThat(stored.getVersion().getVersionName()).isEqualTo("2");
        assertThat(stored.getAvailabilityStatus()).isEqualTo(APPROVED);
        assertThat(stored.getTitle().getValue()).isEqualTo("CT thorax met contrast");
        assertThat(stored.getUniqueId()).isEqualTo(xds.object(registered.documentUuid()).getUniqueId());
        assertThat(xds.status(registered.documentUuid())).isEqualTo(DEPRECATED);
        assertThat(xds.object(request.submissionSet().getEntryUuid()).getAvailabilityStatus()).isEqualTo(APPROVED);
        assertThat(xds.associationsTouching(v2.getEntryUuid()))
                .singleElement()
                .satisfies(a -> {
                    assertThat(a.getSourceUuid()).isEqualTo(request.submissionSet().getEntryUuid());
                    assertThat(a.getPreviousVersion()).isEqualTo("1");
                    assertThat(a.getAvailabilityStatus()).isEqualTo(APPROVED);
                });
    }

    @Test
    void aThirdVersionNamesTheSecondAsPrevious() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build());
        DocumentEntry v3 = nextVersion((DocumentEntry) xds.object(v2.getEntryUuid()));

        service.update(new UpdateRequestBuilder(PATIENT).version(v3, "2").build());

        assertThat(xds.object(v3.getEntryUuid()).getVersion().getVersionName()).isEqualTo("3");
        assertThat(List.of(xds.status(registered.documentUuid()), xds.status(v2.getEntryUuid()), xds.status(v3.getEntryUuid())))
                .containsExactly(DEPRECATED, DEPRECATED, APPROVED);
    }

    @Test
    void aNewVersionOfADeprecatedEntryStaysDeprecated() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        service.update(new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), APPROVED, DEPRECATED).build());
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));

        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build());

        assertThat(xds.status(v2.getEntryUuid())).isEqualTo(DEPRECATED);
        assertThat(xds.status(registered.documentUuid())).isEqualTo(DEPRECATED);
    }

    @Test
    void symbolicIdsGetUuids() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));
        v2.setEntryUuid("Document01");
        UpdateRequestBuilder request = new UpdateRequestBuilder(PATIENT).version(v2, "1");
        request.submissionSet().setEntryUuid("SubmissionSet01");
        request.build().getAssociations().get(0).setSourceUuid("SubmissionSet01");

        MetadataUpdateService.UpdateResult result = service.update(request.build());

        assertThat(result.newVersionUuids()).singleElement().asString().startsWith("urn:uuid:");
        assertThat(result.submissionSetUuid()).startsWith("urn:uuid:");
        assertThat(xds.associationsTouching(result.newVersionUuids().get(0)))
                .singleElement().extracting(Association::getSourceUuid).isEqualTo(result.submissionSetUuid());
    }

    @Test
    void folderMembershipIsCopiedToTheNewDocumentVersion() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));

        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build());

        assertThat(members(registered.folderUuid()))
                .containsExactlyInAnyOrder(registered.documentUuid(), v2.getEntryUuid());
    }

    @Test
    void propagationCanBeDisabled() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));

        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").withoutPropagation().build());

        assertThat(members(registered.folderUuid())).containsExactly(registered.documentUuid());
    }

    @Test
    void newFolderVersionSupersedesTheCurrentOneAndKeepsItsMembers() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        Folder v2 = nextVersion((Folder) xds.object(registered.folderUuid()));
        v2.setTitle(new LocalizedString("Oncologie 2026"));

        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1").build());

        Folder stored = (Folder) xds.object(v2.getEntryUuid());
        assertThat(stored.getVersion().getVersionName()).isEqualTo("2");
        assertThat(stored.getLogicalUuid()).isEqualTo(registered.folderUuid());
        assertThat(stored.getAvailabilityStatus()).isEqualTo(APPROVED);
        assertThat(stored.getTitle().getValue()).isEqualTo("Oncologie 2026");
        assertThat(stored.getLastUpdateTime().getDateTime()).isEqualTo(ZonedDateTime.now(CLOCK));
        assertThat(xds.status(registered.folderUuid())).isEqualTo(DEPRECATED);
        assertThat(members(v2.getEntryUuid())).containsExactly(registered.documentUuid());
    }

    @Test
    void folderAndDocumentVersionedTogetherAreLinkedOnce() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);
        Folder folder2 = nextVersion((Folder) xds.object(registered.folderUuid()));
        DocumentEntry doc2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));

        service.update(new UpdateRequestBuilder(PATIENT).version(folder2, "1").version(doc2, "1").build());

        assertThat(members(folder2.getEntryUuid())).containsExactly(doc2.getEntryUuid());
        assertThat(members(registered.folderUuid())).containsExactly(registered.documentUuid());
    }

    @Test
    void documentEntryStatusChangesBothWays() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);

        MetadataUpdateService.UpdateResult result = service.update(
                new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), APPROVED, DEPRECATED).build());
        assertThat(result.statusChangedUuids()).containsExactly(registered.documentUuid());
        assertThat(xds.status(registered.documentUuid())).isEqualTo(DEPRECATED);

        service.update(new UpdateRequestBuilder(PATIENT).status(registered.documentUuid(), DEPRECATED, APPROVED).build());
        assertThat(xds.status(registered.documentUuid())).isEqualTo(APPROVED);
        assertThat(xds.associationsTouching(registered.documentUuid()))
                .filteredOn(a -> a.getAssociationType() == AssociationType.UPDATE_AVAILABILITY_STATUS)
                .hasSize(2);
    }

    @Test
    void folderStatusChanges() {
        XdsFixture.Registered registered = xds.registerDocumentInFolder(PATIENT);

        service.update(new UpdateRequestBuilder(PATIENT).status(registered.folderUuid(), APPROVED, DEPRECATED).build());

        assertThat(xds.status(registered.folderUuid())).isEqualTo(DEPRECATED);
        assertThat(xds.status(registered.documentUuid())).isEqualTo(APPROVED);
    }

    @Test
    void statusChangeWithANewVersionAppliesToTheNewVersion() {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry v2 = nextVersion((DocumentEntry) xds.object(registered.documentUuid()));

        service.update(new UpdateRequestBuilder(PATIENT).version(v2, "1")
                .status(registered.documentUuid(), APPROVED, DEPRECATED).build());

        assertThat(xds.status(v2.getEntryUuid())).isEqualTo(DEPRECATED);
        assertThat(xds.status(registered.documentUuid())).isEqualTo(DEPRECATED);
        assertThat(xds.object(v2.getEntryUuid()).getVersion().getVersionName()).isEqualTo("2");
    }

    /** The document entries a folder version has as Approved members. */
    private List<String> members(String folderUuid) {
        List<Association> memberships = xds.associationsTouching(folderUuid).stream()
                .filter(a -> a.getAssociationType() == AssociationType.HAS_MEMBER && a.getSourceUuid().equals(folderUuid))
                .toList();
        return memberships.stream().map(Association::getTargetUuid)
                .filter(uuid -> xds.object(uuid) instanceof DocumentEntry).toList();
    }
}
