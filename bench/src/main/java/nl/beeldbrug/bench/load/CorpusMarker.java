package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Records which corpus a database holds, in a table of its own ({@code bench_corpus.corpus}, outside
 * the registry's schema), written only after the load has committed.
 */
final class CorpusMarker {

    enum State { EMPTY, LOADED, OTHER_DATA }

    private final StudyCorpus corpus;
    private final String rowFormat;

    /** {@code rowFormat}: the registry's insert columns; a corpus loaded by a registry that wrote other columns is stale. */
    CorpusMarker(StudyCorpus corpus, String rowFormat) {
        this.corpus = corpus;
        this.rowFormat = rowFormat;
    }

    State check(Connection c) throws SQLException {
        ensureTable(c);
        try (PreparedStatement ps = c.prepareStatement(
                "select 1 from bench_corpus.corpus where seed = ? and studies = ? and patients = ? and reference_time = ?"
                        + " and row_format = ?")) {
            ps.setLong(1, corpus.seed());
            ps.setInt(2, corpus.studies());
            ps.setInt(3, corpus.patients());
            ps.setString(4, corpus.now().toString());
            ps.setString(5, rowFormat);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return State.LOADED;
                }
            }
        }
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select count(*) from bench_corpus.corpus)"
                     + " + (select count(*) from (select 1 from registry_object limit 1) o)"
                     + " + (select count(*) from (select 1 from association limit 1) a)"
                     + " + (select count(*) from (select 1 from patient limit 1) p)"
                     + " + (select count(*) from (select 1 from document_content limit 1) d)")) {
            rs.next();
            return rs.getLong(1) == 0 ? State.EMPTY : State.OTHER_DATA;
        }
    }

    String describe(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select (select count(*) from registry_object), (select count(*) from patient),"
                     + " (select string_agg(format('seed %s, %s studies, %s patients, loaded %s with row format %s', seed, studies,"
                     + " patients, loaded_at, coalesce(row_format, 'unknown')), '; ')"
                     + " from bench_corpus.corpus)")) {
            rs.next();
            return rs.getLong(1) + " registry objects, " + rs.getLong(2) + " patients"
                    + (rs.getString(3) == null ? "" : ", corpus " + rs.getString(3));
        }
    }

    void record(Connection c, Duration loadTime, long documentEntries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into bench_corpus.corpus"
                + " (seed, studies, patients, reference_time, document_entries, load_seconds, row_format) values (?,?,?,?,?,?,?)")) {
            ps.setLong(1, corpus.seed());
            ps.setInt(2, corpus.studies());
            ps.setInt(3, corpus.patients());
            ps.setString(4, corpus.now().toString());
            ps.setLong(5, documentEntries);
            ps.setDouble(6, loadTime.toMillis() / 1000.0);
            ps.setString(7, rowFormat);
            ps.executeUpdate();
        }
    }

    private static void ensureTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create schema if not exists bench_corpus");
            s.execute("create table if not exists bench_corpus.corpus (seed bigint not null, studies integer not null,"
                    + " patients integer not null, reference_time text not null, document_entries bigint not null,"
                    + " load_seconds double precision not null, loaded_at timestamptz not null default now())");
            s.execute("alter table bench_corpus.corpus add column if not exists row_format text");
        }
    }
}
