package nl.beeldbrug.registry.xds.query;

import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;

import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Local patient ids (sourcePatientId) are kept and a hospital can query with its own id. */
@ExtendWith(RegistryDatabaseExtension.class)
class LocalPatientIdQueryTest {

    private static final AssigningAuthority HOSPITAL = new AssigningAuthority("2.16.528.1.1007.3.3.12000001.2", "ISO");

    private final TestDatabase db;
    private final DocumentRegistryService registry;
    private final StoredQueryService queries;

    LocalPatientIdQueryTest(TestDatabase db) {
        this.db = db;
        XdsStore store = new XdsStore();
        this.registry = new DocumentRegistryService(db.dataSource(), store, new PatientIndex(), Clock.systemUTC());
        this.queries = new StoredQueryService(db.dataSource(), store, 100);
    }

    @BeforeEach
    void patients() {
        db.addPatient(SampleMetadata.BSN);
        db.addPatient(SampleMetadata.OTHER_BSN);
    }

    private DocumentEntry register(SampleMetadata sample, String localId) {
        DocumentEntry kos = sample.kos(SampleMetadata.newUid());
        kos.setSourcePatientId(new Identifiable(localId, HOSPITAL));
        registry.register(sample.register(kos));
        return kos;
    }

    private QueryResponse find(Identifiable patientId) {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(patientId);
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        return queries.query(new QueryRegistry(query, QueryReturnType.LEAF_CLASS));
    }

    @Test
    void aLocalIdFindsThePatientsDocumentsUnderTheBsn() {
        SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);
        DocumentEntry kos = register(sample, "PAT-4711");
        register(SampleMetadata.forPatient(SampleMetadata.OTHER_BSN), "PAT-0815");

        QueryResponse byLocalId = find(new Identifiable("PAT-4711", HOSPITAL));
        QueryResponse byBsn = find(sample.patientId());

        assertThat(byLocalId.getDocumentEntries()).extracting(DocumentEntry::getUniqueId).containsExactly(kos.getUniqueId());
        assertThat(byLocalId.getDocumentEntries()).extracting(DocumentEntry::getUniqueId)
                .isEqualTo(byBsn.getDocumentEntries().stream().map(DocumentEntry::getUniqueId).toList());
        assertThat(byLocalId.getDocumentEntries().get(0).getSourcePatientId().getId()).isEqualTo("PAT-4711");
    }

    @Test
    void theSameIdInAnotherAuthorityIsNotThatPatient() {
        register(SampleMetadata.forPatient(SampleMetadata.BSN), "PAT-4711");

        assertThatThrownBy(() -> find(new Identifiable("PAT-4711", new AssigningAuthority("2.16.528.1.1007.3.3.34000011.2", "ISO"))))
                .isInstanceOf(XdsException.class)
                .satisfies(e -> assertThat(((XdsException) e).code()).isEqualTo(ErrorCode.UNKNOWN_PATIENT_ID));
    }

    @Test
    void aLocalIdUsedForTwoPatientsIsRefused() {
        register(SampleMetadata.forPatient(SampleMetadata.BSN), "PAT-1");
        register(SampleMetadata.forPatient(SampleMetadata.OTHER_BSN), "PAT-1");

        assertThatThrownBy(() -> find(new Identifiable("PAT-1", HOSPITAL)))
                .isInstanceOf(XdsException.class)
                .hasMessageContaining("more than one patient");
    }
}
