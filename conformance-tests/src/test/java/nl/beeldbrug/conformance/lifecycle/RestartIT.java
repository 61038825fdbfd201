package nl.beeldbrug.conformance.lifecycle;

import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.Registry;
import nl.beeldbrug.conformance.support.Submission;
import nl.beeldbrug.conformance.support.XdsClient;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static nl.beeldbrug.conformance.support.Xds.assertSuccess;
import static nl.beeldbrug.conformance.support.Xds.leafClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Durability: a gateway of its own on a fresh data directory keeps what was registered across a normal
 * stop (SIGTERM) and across kill -9, after which it stops the PostgreSQL the killed process left behind.
 */
class RestartIT {

    private static final String PATIENT = Patients.demo(0); // the one demo patient of 4 demo studies

    @Test
    void registeredDataSurvivesStopAndKill() throws IOException {
        Map<String, String> options = Map.of(
                "beeldbrug.demo.studies", "4",
                "ipf.atna.audit-repository-port", Integer.toString(Gateway.freePort()));
        try (Gateway gateway = Gateway.start(Gateway.workDir("restart"), options)) {
            byte[] content = "Verslag dat een herstart overleeft".getBytes(StandardCharsets.UTF_8);
            Submission submission = Submission.forPatient(PATIENT);
            DocumentEntry entry = submission.document(content);
            try (XdsClient client = new XdsClient(gateway)) {
                assertSuccess(client.provideAndRegister(submission.provideAndRegister()));
                assertStored(client, entry, content);
            }

            // 1. a normal stop: SIGTERM, the JVM stops its PostgreSQL
            List<ProcessHandle> postgres = gateway.postgres();
            assertThat(postgres).as("the embedded PostgreSQL processes").isNotEmpty();
            gateway.stop();
            await("PostgreSQL stopped with the gateway").atMost(Duration.ofSeconds(30))
                    .until(() -> postgres.stream().noneMatch(ProcessHandle::isAlive));

            gateway.restart();
            try (XdsClient client = new XdsClient(gateway)) {
                assertStored(client, entry, content);
            }

            // 2. kill -9: PostgreSQL is left running; the next start must take over the data directory
            List<ProcessHandle> orphaned = gateway.postgres();
            assertThat(orphaned).isNotEmpty();
            gateway.kill();
            assertThat(gateway.isAlive()).isFalse();
            assertThat(orphaned.get(0).isAlive()).as("PostgreSQL outlives the killed JVM").isTrue();

            gateway.restart();
            await("the orphaned PostgreSQL stopped by the new gateway").atMost(Duration.ofSeconds(30))
                    .until(() -> orphaned.stream().noneMatch(ProcessHandle::isAlive));
            try (XdsClient client = new XdsClient(gateway)) {
                assertStored(client, entry, content);
                // and it still accepts new data
                Submission after = Submission.forPatient(PATIENT);
                DocumentEntry next = after.document("Na de herstart");
                assertSuccess(client.provideAndRegister(after.provideAndRegister()));
                assertThat(new Registry(client).document(next.getUniqueId()).getAvailabilityStatus())
                        .isEqualTo(AvailabilityStatus.APPROVED);
            }
        }
    }

    private static void assertStored(XdsClient client, DocumentEntry entry, byte[] content) throws IOException {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(Submission.patientId(PATIENT));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse found = client.query(leafClass(query));
        assertSuccess(found);
        assertThat(found.getDocumentEntries()).extracting(DocumentEntry::getUniqueId).contains(entry.getUniqueId());

        RetrievedDocumentSet retrieved = client.retrieve(Registry.retrieve(List.of(entry.getUniqueId()), Submission.REPOSITORY));
        assertSuccess(retrieved);
        try (InputStream in = retrieved.getDocuments().get(0).getDataHandler().getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }
}
