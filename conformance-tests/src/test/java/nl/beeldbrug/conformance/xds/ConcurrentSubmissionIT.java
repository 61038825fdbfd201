package nl.beeldbrug.conformance.xds;

import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.Registry;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static nl.beeldbrug.conformance.support.Xds.errorCodes;
import static org.assertj.core.api.Assertions.assertThat;

/** Submissions racing for the same document uniqueId: one wins, the others get an XDS error, never a crash. */
@ExtendWith(SharedGateway.class)
class ConcurrentSubmissionIT {

    private static final String PATIENT = Patients.demo(11);
    private static final int RACERS = 6;

    @Test
    void racingSubmissionsOfOneUniqueIdWithDifferentContent(XdsClient shared) throws Exception {
        String uniqueId = Submission.uid();
        List<Submission> submissions = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            Submission submission = Submission.forPatient(PATIENT);
            submission.document("Versie " + i + " van hetzelfde verslag").setUniqueId(uniqueId);
            submissions.add(submission);
        }
        List<Response> responses = race(shared, submissions);

        assertThat(responses).filteredOn(r -> r.getStatus() == Status.SUCCESS).as("winners").hasSize(1);
        for (Response response : responses) {
            if (response.getStatus() != Status.SUCCESS) {
                assertThat(response.getStatus()).isEqualTo(Status.FAILURE);
                assertThat(errorCodes(response)).as("refusal of a racer").containsOnly("XDSNonIdenticalHash");
            }
        }
        assertThat(new Registry(shared).documentsByUniqueId(uniqueId)).hasSize(1);
    }

    @Test
    void racingIdenticalSubmissionsStoreOneDocument(XdsClient shared) throws Exception {
        Submission submission = Submission.forPatient(PATIENT);
        DocumentEntry entry = submission.document("Hetzelfde verslag, tegelijk verstuurd");
        List<Response> responses = race(shared, java.util.Collections.nCopies(RACERS, submission));

        assertThat(responses).extracting(Response::getStatus).as("every identical retry succeeds: %s",
                responses.stream().map(nl.beeldbrug.conformance.support.Xds::describe).toList()).containsOnly(Status.SUCCESS);
        assertThat(new Registry(shared).documentsByUniqueId(entry.getUniqueId())).hasSize(1);
    }

    /** Sends all submissions at once (the IPF producer is thread-safe), each on a connection of its own. */
    private static List<Response> race(XdsClient client, List<Submission> submissions) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(submissions.size());
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<CompletableFuture<Response>> futures = new ArrayList<>();
            for (Submission submission : submissions) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return client.provideAndRegister(submission.provideAndRegister());
                }, pool));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (CompletableFuture<Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
