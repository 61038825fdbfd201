package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.StudyCorpus;
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

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * After {@code replicate}: the row counts are the base's times the copies, and for a few patients the
 * registry's own FindDocuments returns for the copy exactly the base patient's entries with the copy's
 * identifiers (BSN, UIDs, accessions, local ids; entryUUIDs aside).
 */
final class ReplicaCheck {

    static void run(DataSource ds, StudyCorpus base, int copies, Layout.Rows rows) throws SQLException {
        expect(ds, "select count(*) from patient", rows.patients());
        expect(ds, "select count(*) from registry_object where object_type = 'DocumentEntry'", rows.documentEntries());
        expect(ds, "select count(*) from registry_object where object_type = 'SubmissionSet'", rows.submissionSets());
        expect(ds, "select count(*) from association", rows.associations());
        expect(ds, "select count(*) from document_content", rows.contents());
        List<Bsn> bsns = Corpus.bsns(base.patients() * copies);
        StoredQueryService queries = new StoredQueryService(ds, new XdsStore(), 10_000);
        for (int p : new int[]{0, base.patients() - 1}) {
            int k = copies - 1;
            int q = k * base.patients() + p;
            Set<String> expected = new TreeSet<>();
            for (DocumentEntry e : find(queries, bsns.get(p))) {
                expected.add(MetadataJson.write(e)
                        .replace(Replicas.uidPrefix(base, p), Replicas.uidPrefix(base, q))
                        .replace("\"" + bsns.get(p).value() + "\"", "\"" + bsns.get(q).value() + "\"")
                        .replace(Replicas.accessionPrefix(p), Replicas.accessionPrefix(q))
                        .replace("LOCAL", "LOCAL" + k + "R"));
            }
            Set<String> actual = new TreeSet<>();
            for (DocumentEntry e : find(queries, bsns.get(q))) {
                actual.add(MetadataJson.write(e));
            }
            if (expected.isEmpty() || !expected.equals(actual)) {
                throw new IllegalStateException("copy " + k + " of patient #" + p + ": FindDocuments returns " + actual.size()
                        + " entries that differ from the base patient's " + expected.size());
            }
        }
        System.out.println("Check passed: row counts match; FindDocuments (registry code) returns the base patients' entries"
                + " under the copies' identifiers");
    }

    private static List<DocumentEntry> find(StoredQueryService queries, Bsn bsn) {
        FindDocumentsQuery query = new FindDocumentsQuery();
        query.setPatientId(PatientIds.of(bsn));
        query.setStatus(List.of(AvailabilityStatus.APPROVED));
        List<DocumentEntry> entries = queries.query(new QueryRegistry(query, QueryReturnType.LEAF_CLASS)).getDocumentEntries();
        for (DocumentEntry e : entries) {
            e.setEntryUuid(null);
            e.setLogicalUuid(null);
        }
        return entries;
    }

    private static void expect(DataSource ds, String sql, long expected) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) != expected) {
                throw new IllegalStateException(sql + " = " + rs.getLong(1) + ", expected " + expected);
            }
        }
    }

    private ReplicaCheck() {
    }
}
