package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.registry.patient.Bsn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of a loaded base corpus under other patients, as SQL run inside PostgreSQL (the Java generator
 * writes ~1,000 DocumentEntries/s on a shared machine, too slow for ten million studies). Copy {@code k}
 * of base patient {@code p} is corpus patient {@code k * basePatients + p}: every row of {@code p} again
 * with that patient's BSN, the UIDs the corpus derives from that patient ({@code 2.25.<patient seed>…}:
 * study, documents, submission set), accession numbers ({@code ACC<patient>-<i>}), local patient ids
 * ({@code LOCAL<k>R…}) and fresh entryUUIDs ({@code md5(old uuid : k)}), in the columns and in the stored
 * metadata alike. So a copy holds exactly the rows the registry writes when that patient's studies are
 * registered; only its study history repeats base patient {@code p}'s.
 */
final class Replicas {

    /** The seed-derived UID prefix: "2.25." and the 14-digit patient seed. */
    static String uidPrefix(StudyCorpus corpus, int patient) {
        return "2.25." + corpus.patientSeed(patient);
    }

    static String accessionPrefix(int patient) {
        return "ACC" + patient + "-";
    }

    /** COPY text of bench_corpus.replica_patient for copies 1..copies-1. */
    static String mapping(StudyCorpus base, int copies, List<Bsn> allBsns, int k) {
        StringBuilder b = new StringBuilder();
        int patients = base.patients();
        for (int p = 0; p < patients; p++) {
            int q = k * patients + p;
            new CopyText(b).field(Integer.toString(k)).field(allBsns.get(p).value()).field(allBsns.get(q).value())
                    .field(uidPrefix(base, p)).field(uidPrefix(base, q)).field(accessionPrefix(p)).field(accessionPrefix(q))
                    .endRow();
        }
        return b.toString();
    }

    static final String MAPPING_TABLE = "create unlogged table if not exists bench_corpus.replica_patient (k integer not null,"
            + " old_bsn varchar(9) not null, new_bsn varchar(9) not null, old_uid text not null, new_uid text not null,"
            + " old_acc text not null, new_acc text not null, primary key (k, old_bsn), unique (k, old_uid))";

    private static final String UUID = "'urn:uuid:' || md5(%s || ':' || m.k)::uuid";

    /**
     * The insert that writes copy {@code k} of {@code table}; {@code ?} is k. Associations carry no patient, so
     * their statement writes copies 1..{@code ?} at once (a statement sees only the rows committed before it,
     * here the base; one per copy run side by side would copy each other's rows).
     */
    static String insert(Connection c, String table, StudyCorpus base) throws SQLException {
        Map<String, String> expressions = new LinkedHashMap<>();
        for (String column : columns(c, table)) {
            expressions.put(column, "t." + column);
        }
        String from;
        switch (table) {
            case "patient" -> {
                expressions.replace("bsn", "m.new_bsn");
                if (expressions.containsKey("created_at")) {
                    expressions.replace("created_at", "now()");
                }
                from = " from bench_corpus.replica_patient m join patient t on t.bsn = m.old_bsn where m.k = ?";
            }
            case "registry_object" -> {
                String uuid = UUID.formatted("t.entry_uuid");
                expressions.replace("entry_uuid", uuid);
                expressions.replace("logical_id", "case when t.logical_id = t.entry_uuid then " + uuid
                        + " else t.logical_id end");
                expressions.replace("unique_id", "replace(t.unique_id, m.old_uid, m.new_uid)");
                expressions.replace("patient_bsn", "m.new_bsn");
                expressions.replace("source_patient_id", "replace(t.source_patient_id, 'LOCAL', 'LOCAL' || m.k || 'R')");
                expressions.replace("study_instance_uid", "replace(t.study_instance_uid, m.old_uid, m.new_uid)");
                expressions.replace("accession_numbers", "replace(t.accession_numbers::text, m.old_acc, m.new_acc)::text[]");
                expressions.replace("metadata", "replace(replace(replace(replace(replace(t.metadata::text, t.entry_uuid, " + uuid
                        + "), m.old_uid, m.new_uid), '\"extension\": \"' || m.old_bsn || '\"', '\"extension\": \"' || m.new_bsn || '\"'),"
                        + " m.old_acc, m.new_acc), '\"LOCAL', '\"LOCAL' || m.k || 'R')::jsonb");
                from = " from bench_corpus.replica_patient m join registry_object t on t.patient_bsn = m.old_bsn where m.k = ?";
            }
            case "association" -> {
                expressions.replace("entry_uuid", UUID.formatted("t.entry_uuid"));
                expressions.replace("source_uuid", UUID.formatted("t.source_uuid"));
                expressions.replace("target_uuid", UUID.formatted("t.target_uuid"));
                expressions.replace("metadata", "replace(replace(replace(t.metadata::text, t.entry_uuid, " + UUID.formatted("t.entry_uuid")
                        + "), t.source_uuid, " + UUID.formatted("t.source_uuid") + "), t.target_uuid, "
                        + UUID.formatted("t.target_uuid") + ")::jsonb");
                from = " from generate_series(1, ?) as m(k), association t";
            }
            case "document_content" -> {
                expressions.replace("document_unique_id", "replace(t.document_unique_id, m.old_uid, m.new_uid)");
                // the UID prefix has one length for every patient (fixed-width seed): a plain equality join
                from = " from bench_corpus.replica_patient m join document_content t on left(t.document_unique_id, "
                        + uidPrefix(base, 0).length() + ") = m.old_uid where m.k = ?";
            }
            default -> throw new IllegalArgumentException(table);
        }
        return "insert into " + table + " (" + String.join(", ", expressions.keySet()) + ") select "
                + String.join(", ", expressions.values()) + from;
    }

    private static List<String> columns(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select column_name from information_schema.columns"
                + " where table_schema = 'public' and table_name = ? and is_generated = 'NEVER' order by ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return columns;
    }

    private Replicas() {
    }
}
