package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.EntryUuids;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.PatientIds;
import nl.beeldbrug.registry.xds.XdsStore;
import nl.beeldbrug.registry.xds.query.StoredQueryService;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;

/**
 * After the load: the row counts are what the corpus says, and for a few patients the registry's
 * own ITI-18 code ({@link StoredQueryService}, FindDocuments) returns exactly the DocumentEntries
 * that the registration of their studies produces.
 */
final class LoadCheck {

    private final DataSource dataSource;
    private final StudyCorpus corpus;
    private final Registration registration;
    private final Layout layout;

    LoadCheck(DataSource dataSource, StudyCorpus corpus, Registration registration, Layout layout) {
        this.dataSource = dataSource;
        this.corpus = corpus;
        this.registration = registration;
        this.layout = layout;
    }

    void run() throws SQLException {
        Layout.Rows rows = layout.rows(corpus);
        expectCount("select count(*) from patient", rows.patients());
        expectCount("select count(*) from registry_object where object_type = 'DocumentEntry'", rows.documentEntries());
        expectCount("select count(*) from registry_object where object_type = 'SubmissionSet'", rows.submissionSets());
        expectCount("select count(*) from association", rows.associations());
        expectCount("select count(*) from document_content", rows.contents());

        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        StoredQueryService queries = new StoredQueryService(dataSource, new XdsStore(), 10_000);
        for (int p : new int[]{0, corpus.patients() / 2, corpus.patients() - 1}) {
            StudyCorpus.PatientStudies patient = corpus.patient(p, bsns, counts);
            EntryUuids uuids = corpus.uuidSource(p);
            Map<String, String> expected = new TreeMap<>();
            List<DocumentEntry> registered = registration.register(patient, uuids, layout, new Registration.Rows() {
                @Override
                public void insert(RecordingConnection.Insert insert) {
                }

                @Override
                public void content(Registration.ContentRow row) {
                }
            });
            for (DocumentEntry entry : registered) {
                expected.put(entry.getEntryUuid(), MetadataJson.write(entry));
            }
            FindDocumentsQuery query = new FindDocumentsQuery();
            query.setPatientId(PatientIds.of(patient.bsn()));
            query.setStatus(List.of(AvailabilityStatus.APPROVED));
            QueryResponse response = queries.query(new QueryRegistry(query, QueryReturnType.LEAF_CLASS));
            Map<String, String> actual = new TreeMap<>();
            for (DocumentEntry entry : response.getDocumentEntries()) {
                actual.put(entry.getEntryUuid(), MetadataJson.write(entry));
            }
            if (!expected.equals(actual)) {
                throw new IllegalStateException("patient #" + p + ": FindDocuments returns " + actual.size()
                        + " entries that differ from the " + expected.size() + " registered");
            }
        }
        System.out.println("Check passed: row counts match, FindDocuments (registry code) returns the registered entries"
                + " for patients #0, #" + corpus.patients() / 2 + ", #" + (corpus.patients() - 1));
    }

    private void expectCount(String sql, long expected) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) != expected) {
                throw new IllegalStateException(sql + " = " + rs.getLong(1) + ", expected " + expected);
            }
        }
    }
}
