package nl.beeldbrug.gateway.xds;

import nl.beeldbrug.registry.audit.AuditRecord;
import nl.beeldbrug.registry.audit.AuditStore;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole application in-process on a random port and its own embedded PostgreSQL: IPF client
 * endpoints over loopback, and the durable audit trail (NEN 7513) checked from the inside.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.db.embedded-data-dir=target/it-postgres",
        "beeldbrug.demo.studies=8",
        "beeldbrug.xds.repository-unique-id=" + SampleMetadata.REPOSITORY_UNIQUE_ID,
        "beeldbrug.xds.max-document-size=4KB"})
class XdsGatewayIT {

    @LocalServerPort
    int port;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    DataSource dataSource;
    @Autowired
    PatientIndex patients;
    @Autowired
    AuditStore audit;

    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.THIRD_BSN);

    @BeforeEach
    void patientIsKnown() {
        Database.inTransaction(dataSource, c -> patients.add(c, sample.bsn()));
    }

    private String uri(String scheme, String path) {
        return scheme + "://127.0.0.1:" + port + "/services/" + path + "?audit=false";
    }

    @Test
    void provideFindRetrieveAndAudit() {
        String study = SampleMetadata.newUid();
        DocumentEntry report = sample.report(study);
        ProvideAndRegisterDocumentSet provide = sample.provideAndRegister(sample.submissionSet(), report);
        byte[] content = sample.contentOf(report);

        Response stored = producer.requestBody(uri("xds-iti41", "repository/iti41"), provide, Response.class);
        assertThat(stored.getStatus()).isEqualTo(Status.SUCCESS);

        FindDocumentsQuery find = new FindDocumentsQuery();
        find.setPatientId(sample.patientId());
        find.setStatus(List.of(AvailabilityStatus.APPROVED));
        QueryResponse found = producer.requestBody(uri("xds-iti18", "registry/iti18"),
                new QueryRegistry(find, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(found.getStatus()).isEqualTo(Status.SUCCESS);
        assertThat(found.getDocumentEntries()).extracting(DocumentEntry::getUniqueId).contains(report.getUniqueId());

        RetrieveDocumentSet retrieve = new RetrieveDocumentSet();
        retrieve.getDocuments().add(new DocumentReference(SampleMetadata.REPOSITORY_UNIQUE_ID, report.getUniqueId(), null));
        RetrievedDocumentSet retrieved = producer.requestBody(uri("xds-iti43", "repository/iti43"), retrieve,
                RetrievedDocumentSet.class);
        assertThat(retrieved.getStatus()).isEqualTo(Status.SUCCESS);
        assertThat(retrieved.getDocuments()).hasSize(1);

        // every transaction is on record for the patient, stored durably and chained
        await().untilAsserted(() -> assertThat(audit.forPatient(sample.bsn().value()))
                .extracting(AuditRecord::eventType).contains("ITI-41", "ITI-18", "ITI-43"));
        assertThat(audit.verify()).isTrue();
        assertThat(content).isNotEmpty();
    }

    @Test
    void refusedSubmissionIsAuditedAsFailureAndStoresNothing() {
        DocumentEntry big = sample.report(SampleMetadata.newUid());
        ProvideAndRegisterDocumentSet provide = sample.provideAndRegister(sample.submissionSet(), big);
        provide.getDocuments().get(0).setDataHandler(new jakarta.activation.DataHandler(
                new nl.beeldbrug.registry.xds.BytesDataSource(new byte[8 * 1024], "application/pdf")));
        big.setHash(null);
        big.setSize(null);
        long before = audit.count();

        Response refused = producer.requestBody(uri("xds-iti41", "repository/iti41"), provide, Response.class);

        assertThat(refused.getStatus()).isEqualTo(Status.FAILURE);
        assertThat(refused.getErrors()).extracting(e -> e.getErrorCode()).containsExactly(ErrorCode.REPOSITORY_OUT_OF_RESOURCES);
        FindDocumentsQuery find = new FindDocumentsQuery();
        find.setPatientId(sample.patientId());
        find.setStatus(List.of(AvailabilityStatus.APPROVED, AvailabilityStatus.DEPRECATED));
        QueryResponse found = producer.requestBody(uri("xds-iti18", "registry/iti18"),
                new QueryRegistry(find, QueryReturnType.LEAF_CLASS), QueryResponse.class);
        assertThat(found.getDocumentEntries()).extracting(DocumentEntry::getUniqueId).doesNotContain(big.getUniqueId());
        await().untilAsserted(() -> assertThat(audit.latest((int) (audit.count() - before)))
                .anySatisfy(r -> {
                    assertThat(r.eventType()).isEqualTo("ITI-41");
                    assertThat(r.outcome()).isNotEqualTo("Success");
                }));
    }
}
