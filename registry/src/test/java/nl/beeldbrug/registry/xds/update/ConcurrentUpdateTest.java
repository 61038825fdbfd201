package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import nl.beeldbrug.registry.xds.delete.DeleteDocumentSetService;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Version;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static nl.beeldbrug.registry.xds.update.XdsFixture.CLOCK;
import static nl.beeldbrug.registry.xds.update.XdsFixture.PATIENT;
import static nl.beeldbrug.registry.xds.update.XdsFixture.nextVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode.METADATA_VERSION_ERROR;
import static org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode.REFERENCE_EXISTS_EXCEPTION;

/**
 * Racing transactions on one object. Two updates naming the same PreviousVersion: the second waits for
 * the first and is then refused with XDSMetadataVersionError instead of creating a second version 2. A
 * delete racing an update waits for it and then sees the association the update added.
 */
@ExtendWith(RegistryDatabaseExtension.class)
class ConcurrentUpdateTest {

    private final XdsFixture xds;
    private final MetadataUpdateService service;

    ConcurrentUpdateTest(DataSource dataSource) {
        xds = new XdsFixture(dataSource);
        service = new MetadataUpdateService(dataSource, new XdsStore(), new PatientIndex(), CLOCK);
    }

    @Test
    void theSecondOfTwoConcurrentUpdatesSeesTheFirstsVersion() throws Exception {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DocumentEntry stored = (DocumentEntry) xds.object(registered.documentUuid());
        DocumentEntry first = nextVersion(stored);
        DocumentEntry second = nextVersion(stored);

        try (Connection c = xds.dataSource().getConnection()) {
            // the first updater, mid-transaction: it holds the versions' locks and writes version 2
            c.setAutoCommit(false);
            xds.store().lockLogicalIds(c, List.of(registered.documentUuid()));
            CompletableFuture<MetadataUpdateService.UpdateResult> racing = CompletableFuture.supplyAsync(
                    () -> service.update(new UpdateRequestBuilder(PATIENT).version(second, "1").build()));
            awaitBlockedOnLock(racing);
            first.setLogicalUuid(registered.documentUuid());
            first.setVersion(new Version("2"));
            first.setAvailabilityStatus(AvailabilityStatus.APPROVED);
            xds.store().insert(c, first, PATIENT.value());
            xds.store().updateStatus(c, registered.documentUuid(), AvailabilityStatus.DEPRECATED);
            c.commit();

            try {
                racing.get(30, TimeUnit.SECONDS);
                fail("the concurrent update with a stale PreviousVersion was accepted");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(XdsException.class,
                        x -> assertThat(x.code()).isEqualTo(METADATA_VERSION_ERROR));
            }
        }
        assertThat(xds.exists(second.getEntryUuid())).isFalse();
        assertThat(xds.status(first.getEntryUuid())).isEqualTo(AvailabilityStatus.APPROVED);
    }

    @Test
    void aDeleteWaitsForAnUpdateAndSeesItsNewReference() throws Exception {
        XdsFixture.Registered registered = xds.registerDocument(PATIENT);
        DeleteDocumentSetService delete = new DeleteDocumentSetService(xds.dataSource(), new XdsStore());
        RemoveMetadata request = new RemoveMetadata();
        List.of(registered.submissionSetUuid(), registered.documentUuid(), registered.hasMemberUuid())
                .forEach(uuid -> request.getReferences().add(new ObjectReference(uuid)));
        Association statusChange = XdsFixture.association(AssociationType.UPDATE_AVAILABILITY_STATUS,
                registered.submissionSetUuid(), registered.documentUuid());
        statusChange.setAvailabilityStatus(AvailabilityStatus.APPROVED);

        try (Connection c = xds.dataSource().getConnection()) {
            // an update, mid-transaction: it holds the document's lock and adds an association to it
            c.setAutoCommit(false);
            xds.store().lockLogicalIds(c, List.of(registered.documentUuid()));
            CompletableFuture<DeleteDocumentSetService.DeleteResult> racing = CompletableFuture.supplyAsync(() -> delete.delete(request));
            awaitBlockedOnLock(racing);
            xds.store().insert(c, statusChange);
            c.commit();

            try {
                racing.get(30, TimeUnit.SECONDS);
                fail("the delete removed a document that a committed association references");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(XdsException.class,
                        x -> assertThat(x.code()).isEqualTo(REFERENCE_EXISTS_EXCEPTION));
            }
        }
        assertThat(xds.exists(registered.documentUuid())).isTrue();
    }

    /** Waits until another backend waits for a row lock (the racing update), or fails after 20 s. */
    private void awaitBlockedOnLock(CompletableFuture<?> racing) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (racing.isDone()) {
                racing.get(); // surfaces its exception
                fail("the concurrent update did not wait for the first one's locks");
            }
            try (Connection c = xds.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            try {
                racing.get(20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // poll again
            }
        }
        fail("the concurrent update never blocked on the version lock");
    }
}
