package nl.beeldbrug.conformance.xds;

import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.Registry;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;

import java.util.List;
import java.util.function.Consumer;

import static nl.beeldbrug.conformance.support.Xds.assertFailure;
import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.countFor;
import static nl.beeldbrug.conformance.support.Xds.leafClass;
import static org.assertj.core.api.Assertions.assertThat;

/** ITI-57 Update Document Set: new document entry versions, availability status changes, refusals. */
@ExtendWith(SharedGateway.class)
class Iti57UpdateIT {

    private static final String PATIENT = Patients.demo(7);

    private static XdsClient client;
    private static Registry registry;

    @BeforeAll
    static void connect(XdsClient xds) {
        client = xds;
        registry = new Registry(xds);
    }

    /** A registered document entry, as the registry answers it (logicalUuid and version set). */
    private static DocumentEntry registered() {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.registryEntry();
        assertSuccess(client.register(submission.register()));
        return registry.document(entry.getUniqueId());
    }

    /** An ITI-57 request with a new version of {@code current}, changed by {@code change}. */
    private static Submission newVersion(DocumentEntry current, String previousVersion, Consumer<DocumentEntry> change) {
        Submission update = Submission.forPatient(PATIENT);
        DocumentEntry next = registry.documentByUuid(current.getEntryUuid());
        next.setEntryUuid(Submission.uuid());
        next.setLogicalUuid(current.getLogicalUuid());
        next.setVersion(null);
        next.setAvailabilityStatus(null);
        change.accept(next);
        update.entries().add(next);
        Association hasMember = Submission.hasMember(update.submissionSet().getEntryUuid(), next.getEntryUuid(), AssociationLabel.ORIGINAL);
        hasMember.setPreviousVersion(previousVersion);
        update.add(hasMember);
        return update;
    }

    private static Submission statusChange(DocumentEntry target, AvailabilityStatus from, AvailabilityStatus to) {
        Submission update = Submission.forPatient(PATIENT);
        Association change = new Association(AssociationType.UPDATE_AVAILABILITY_STATUS, Submission.uuid(),
                update.submissionSet().getEntryUuid(), target.getEntryUuid());
        change.setOriginalStatus(from);
        change.setNewStatus(to);
        update.add(change);
        return update;
    }

    private static List<DocumentEntry> versions(DocumentEntry entry) {
        return registry.documentsByUniqueId(entry.getUniqueId());
    }

    @Test
    void newVersionDeprecatesThePreviousOne() {
        DocumentEntry original = registered();
        assertThat(original.getVersion().getVersionName()).isEqualTo("1");
        Submission update = newVersion(original, "1", e -> e.setTitle(new LocalizedString("Verslag CT thorax (gecorrigeerd)", "nl-NL", "UTF-8")));
        DocumentEntry next = update.entries().get(0);

        assertSuccess(client.update(update.register()));

        List<DocumentEntry> versions = versions(original);
        assertThat(versions).hasSize(2);
        DocumentEntry v1 = versions.stream().filter(v -> v.getEntryUuid().equals(original.getEntryUuid())).findFirst().orElseThrow();
        DocumentEntry v2 = versions.stream().filter(v -> v.getEntryUuid().equals(next.getEntryUuid())).findFirst().orElseThrow();
        assertThat(v1.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.DEPRECATED);
        assertThat(v2.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
        assertThat(v2.getLogicalUuid()).isEqualTo(v1.getLogicalUuid()).isEqualTo(original.getEntryUuid());
        assertThat(v2.getVersion().getVersionName()).isEqualTo("2");
        assertThat(v2.getTitle().getValue()).isEqualTo("Verslag CT thorax (gecorrigeerd)");

        FindDocumentsQuery approved = new FindDocumentsQuery();
        approved.setPatientId(Submission.patientId(PATIENT));
        approved.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse found = client.query(leafClass(approved));
        assertSuccess(found);
        assertThat(found.getDocumentEntries()).extracting(DocumentEntry::getEntryUuid)
                .contains(next.getEntryUuid()).doesNotContain(original.getEntryUuid());

        // and a third version on top of the second
        assertSuccess(client.update(newVersion(v2, "2", e -> e.setComments(new LocalizedString("derde versie"))).register()));
        assertThat(versions(original)).extracting(e -> e.getVersion().getVersionName()).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(versions(original)).filteredOn(e -> e.getAvailabilityStatus() == AvailabilityStatus.APPROVED)
                .extracting(e -> e.getVersion().getVersionName()).containsExactly("3");
    }

    @Test
    void updateAvailabilityStatusDeprecatesAndApprovesAgain() {
        DocumentEntry entry = registered();

        assertSuccess(client.update(statusChange(entry, AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED).register()));
        assertThat(registry.document(entry.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.DEPRECATED);

        assertSuccess(client.update(statusChange(entry, AvailabilityStatus.DEPRECATED, AvailabilityStatus.APPROVED).register()));
        assertThat(registry.document(entry.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
    }

    @Test
    void wrongOriginalStatusIsXdsMetadataUpdateOperationError() {
        DocumentEntry entry = registered();
        int before = countFor(client, PATIENT);
        Submission update = statusChange(entry, AvailabilityStatus.DEPRECATED, AvailabilityStatus.APPROVED);

        assertFailure(client.update(update.register()), ErrorCode.METADATA_UPDATE_OPERATION_ERROR);

        assertThat(registry.document(entry.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
        registry.assertNothingStored(update);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void previousVersionThatIsNotCurrentIsXdsMetadataVersionError() {
        DocumentEntry original = registered();
        int before = countFor(client, PATIENT);
        Submission update = newVersion(original, "2", e -> e.setComments(new LocalizedString("te vroeg")));

        assertFailure(client.update(update.register()), ErrorCode.METADATA_VERSION_ERROR);

        assertThat(versions(original)).singleElement()
                .satisfies(e -> assertThat(e.getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED));
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void unknownLogicalIdIsXdsMetadataUpdateError() {
        DocumentEntry original = registered();
        int before = countFor(client, PATIENT);
        Submission update = newVersion(original, "1", e -> e.setLogicalUuid(Submission.uuid()));

        assertFailure(client.update(update.register()), ErrorCode.METADATA_UPDATE_ERROR);
        assertThat(versions(original)).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void changedHashIsXdsMetadataUpdateError() {
        DocumentEntry original = registered();
        int before = countFor(client, PATIENT);
        Submission update = newVersion(original, "1", e -> e.setHash(Submission.sha1(new byte[]{42})));

        assertFailure(client.update(update.register()), ErrorCode.METADATA_UPDATE_ERROR);
        assertThat(versions(original)).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void changedPatientIsXdsPatientIdReconciliationError() {
        DocumentEntry original = registered();
        int before = countFor(client, PATIENT);
        Submission update = newVersion(original, "1", e -> e.setPatientId(Submission.patientId(Patients.demo(8))));
        update.submissionSet().setPatientId(Submission.patientId(Patients.demo(8)));

        assertFailure(client.update(update.register()), ErrorCode.PATIENT_ID_RECONCILIATION_ERROR);
        assertThat(versions(original)).hasSize(1);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void initialVersionInAnUpdateIsRefused() {
        int before = countFor(client, PATIENT);
        Submission update = Submission.forPatient(PATIENT);
        DocumentEntry fresh = update.registryEntry();
        fresh.setLogicalUuid(fresh.getEntryUuid());
        update.associations().get(0).setPreviousVersion("1");

        assertFailure(client.update(update.register()), ErrorCode.INVALID_REQUEST_EXCEPTION);
        registry.assertNothingStored(update);
        assertThat(countFor(client, PATIENT)).isEqualTo(before);
    }

    @Test
    void unknownPatientIsXdsUnknownPatientId() {
        DocumentEntry entry = registered();
        Submission update = statusChange(entry, AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED);
        update.submissionSet().setPatientId(Submission.patientId(Patients.validButUnknown()));

        assertFailure(client.update(update.register()), ErrorCode.UNKNOWN_PATIENT_ID);
        assertThat(registry.document(entry.getUniqueId()).getAvailabilityStatus()).isEqualTo(AvailabilityStatus.APPROVED);
    }
}
