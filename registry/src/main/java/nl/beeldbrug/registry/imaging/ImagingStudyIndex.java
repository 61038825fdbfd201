package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.xds.MetadataJson;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The imaging study index behind FHIR ImagingStudy and the patient timeline: a view of the
 * DocumentEntry rows. A study is the set of a patient's Approved entries that share a Study
 * Instance UID; it appears once however many manifests and reports it has (Twiin), newest first.
 * A study matches a modality, body site, accession or availability criterion when any of its
 * entries does; it matches a started range with its earliest serviceStartTime.
 */
public final class ImagingStudyIndex {

    private static final String STUDY_ROWS = "from registry_object where object_type = 'DocumentEntry' and status = 'Approved'"
            + " and study_instance_uid is not null";
    private static final String ENTRY_COLUMNS = "select r.entry_uuid, r.patient_bsn, r.study_instance_uid, r.unique_id,"
            + " r.study_role = 'manifest', r.author_ura from registry_object r";

    private final DataSource dataSource;

    public ImagingStudyIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One page of a search result, and how many studies match in all. */
    public record StudyPage(int total, List<ImagingStudySummary> studies) {
        public StudyPage {
            studies = List.copyOf(studies);
        }
    }

    /**
     * The studies matching {@code search}, newest first, from {@code offset} (0-based), at most
     * {@code count}. A search must name a patient or a study ({@link StudySearch#isSelective()}).
     */
    public StudyPage search(StudySearch search, int offset, int count) {
        return search(search, offset, count, List.of());
    }

    /**
     * As {@link #search(StudySearch, int, int)} as if the {@code withheld} entries (entryUUIDs) were not
     * registered: they neither make a study match nor show in its summary, and a study of only withheld entries
     * does not exist — the release points' way of making a denied study indistinguishable from an absent one.
     */
    public StudyPage search(StudySearch search, int offset, int count, Collection<String> withheld) {
        if (!search.isSelective()) {
            throw new IllegalArgumentException("a study search names a patient, a study instance UID or an accession number");
        }
        if (offset < 0 || count < 0) {
            throw new IllegalArgumentException("offset and count cannot be negative");
        }
        return Database.read(dataSource, c -> {
            List<Object> parameters = new ArrayList<>();
            String grouped = groupedQuery(search, withheld, parameters);
            List<StudyKey> keys = new ArrayList<>();
            int total = -1;
            if (count > 0) {
                try (PreparedStatement ps = c.prepareStatement("select uid, bsn, count(*) over () from (" + grouped + ") s"
                        + " order by started desc nulls last, uid, bsn limit ? offset ?")) {
                    int next = bind(c, ps, parameters);
                    ps.setInt(next, count);
                    ps.setInt(next + 1, offset);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            keys.add(new StudyKey(rs.getString(1), rs.getString(2)));
                            total = rs.getInt(3);
                        }
                    }
                }
            }
            if (total < 0) {
                try (PreparedStatement ps = c.prepareStatement("select count(*) from (" + grouped + ") s")) {
                    bind(c, ps, parameters);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        total = rs.getInt(1);
                    }
                }
            }
            return new StudyPage(total, summaries(c, keys, withheld));
        });
    }

    /** How many studies match (without loading them). */
    public int count(StudySearch search) {
        return search(search, 0, 0).total();
    }

    /** How many studies match without the {@code withheld} entries. */
    public int count(StudySearch search, Collection<String> withheld) {
        return search(search, 0, 0, withheld).total();
    }

    /**
     * Every Approved entry of every study that could match {@code search} once some entries are withheld (any
     * page), in no particular order: what a release point decides on before it counts and pages. Only the
     * criteria that withholding cannot turn from false to true narrow it (patient, study, accession, modality,
     * body site: "any entry has"); {@code started} (the earliest entry) and availability (no manifest) can, so
     * they are left to the search itself.
     */
    public List<StudyEntry> entries(StudySearch search) {
        if (!search.isSelective()) {
            throw new IllegalArgumentException("a study search names a patient, a study instance UID or an accession number");
        }
        StudySearch candidates = search.withStarted(null, null).withAvailable(null);
        return Database.read(dataSource, c -> {
            List<Object> parameters = new ArrayList<>();
            String grouped = groupedQuery(candidates, List.of(), parameters);
            try (PreparedStatement ps = c.prepareStatement(ENTRY_COLUMNS + " join (" + grouped + ") s"
                    + " on r.study_instance_uid = s.uid and r.patient_bsn = s.bsn"
                    + " where r.object_type = 'DocumentEntry' and r.status = 'Approved'")) {
                bind(c, ps, parameters);
                return entries(ps);
            }
        });
    }

    /** Every Approved entry registered under this Study Instance UID (of any patient). */
    public List<StudyEntry> entriesOfStudy(String studyInstanceUid) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(ENTRY_COLUMNS + " where r.object_type = 'DocumentEntry'"
                    + " and r.status = 'Approved' and r.study_instance_uid = ?")) {
                ps.setString(1, studyInstanceUid);
                return entries(ps);
            }
        });
    }

    /** Every Approved or Deprecated DocumentEntry of the patient, of a study or not. */
    public List<StudyEntry> documentsOf(String patientBsn) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(ENTRY_COLUMNS + " where r.patient_bsn = ?"
                    + " and r.object_type = 'DocumentEntry' and r.status in ('Approved', 'Deprecated')")) {
                ps.setString(1, patientBsn);
                return entries(ps);
            }
        });
    }

    private static List<StudyEntry> entries(PreparedStatement ps) throws SQLException {
        List<StudyEntry> entries = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                entries.add(new StudyEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getString(6)));
            }
        }
        return entries;
    }

    /**
     * The study with this UID. Should one UID be registered for two patients (a source's error),
     * the study of the patient whose entries are newest is returned.
     */
    public Optional<ImagingStudySummary> read(String studyInstanceUid) {
        return read(studyInstanceUid, List.of());
    }

    /** As {@link #read(String)} as if the {@code withheld} entries were not registered. */
    public Optional<ImagingStudySummary> read(String studyInstanceUid, Collection<String> withheld) {
        return Database.read(dataSource, c -> {
            String bsn = null;
            try (PreparedStatement ps = c.prepareStatement("select patient_bsn " + STUDY_ROWS
                    + " and study_instance_uid = ? and not (entry_uuid = any(?)) order by inserted_at desc limit 1")) {
                ps.setString(1, studyInstanceUid);
                ps.setArray(2, c.createArrayOf("text", withheld.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        bsn = rs.getString(1);
                    }
                }
            }
            if (bsn == null) {
                return Optional.<ImagingStudySummary>empty();
            }
            return summaries(c, List.of(new StudyKey(studyInstanceUid, bsn)), withheld).stream().findFirst();
        });
    }

    /**
     * The care organisation with this URA as an author institution of some registered document: the name its newest
     * document gives.
     */
    public Optional<ImagingStudySummary.Organisation> organisation(String ura) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select metadata from registry_object"
                    + " where author_ura = ? and object_type = 'DocumentEntry' order by inserted_at desc limit 1")) {
                ps.setString(1, ura);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<ImagingStudySummary.Organisation>empty();
                    }
                    DocumentEntry entry = MetadataJson.readPacked(rs.getBytes(1), DocumentEntry.class);
                    for (Author author : entry.getAuthors()) {
                        for (Organization organization : author.getAuthorInstitution()) {
                            if (organization.getAssigningAuthority() != null && ura.equals(organization.getIdNumber())
                                    && StudySummaryBuilder.URA_OID.equals(organization.getAssigningAuthority().getUniversalId())) {
                                return Optional.of(new ImagingStudySummary.Organisation(organization.getOrganizationName(), ura));
                            }
                        }
                    }
                    return Optional.of(new ImagingStudySummary.Organisation(null, ura));
                }
            }
        });
    }

    private record StudyKey(String uid, String bsn) {
    }

    private static String groupedQuery(StudySearch search, Collection<String> withheld, List<Object> parameters) {
        StringBuilder sql = new StringBuilder("select study_instance_uid as uid, patient_bsn as bsn, min(service_start) as started ")
                .append(STUDY_ROWS);
        if (!withheld.isEmpty()) {
            sql.append(" and not (entry_uuid = any(?))");
            parameters.add(List.copyOf(withheld));
        }
        if (search.patientBsn() != null) {
            sql.append(" and patient_bsn = ?");
            parameters.add(search.patientBsn());
        }
        if (!search.studyInstanceUids().isEmpty()) {
            sql.append(" and study_instance_uid = any(?)");
            parameters.add(search.studyInstanceUids());
        }
        sql.append(" group by study_instance_uid, patient_bsn having true");
        if (!search.accessionKeys().isEmpty()) {
            sql.append(" and bool_or(accession_numbers && ?)");
            parameters.add(search.accessionKeys());
        }
        if (!search.modalities().isEmpty()) {
            sql.append(" and bool_or(modalities && ?)");
            parameters.add(search.modalities());
        }
        if (!search.bodySites().isEmpty()) {
            sql.append(" and bool_or(body_sites && ?)");
            parameters.add(search.bodySites());
        }
        if (search.startedFrom() != null) {
            sql.append(" and min(service_start) >= ?");
            parameters.add(Timestamp.from(search.startedFrom()));
        }
        if (search.startedBefore() != null) {
            sql.append(" and min(service_start) < ?");
            parameters.add(Timestamp.from(search.startedBefore()));
        }
        if (search.available() != null) {
            sql.append(" and bool_or(study_role = 'manifest') = ?");
            parameters.add(search.available());
        }
        return sql.toString();
    }

    /** Binds the parameters in order; returns the next free index. */
    private static int bind(Connection c, PreparedStatement ps, List<Object> parameters) throws SQLException {
        int i = 1;
        for (Object p : parameters) {
            if (p instanceof List<?> list) {
                ps.setArray(i++, c.createArrayOf("text", list.toArray()));
            } else if (p instanceof Timestamp t) {
                ps.setTimestamp(i++, t);
            } else if (p instanceof Boolean b) {
                ps.setBoolean(i++, b);
            } else {
                ps.setString(i++, (String) p);
            }
        }
        return i;
    }

    /** The summaries of these studies, in the given order. */
    private static List<ImagingStudySummary> summaries(Connection c, List<StudyKey> keys, Collection<String> withheld)
            throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<StudyKey, List<EntryFacts>> entries = new LinkedHashMap<>();
        keys.forEach(k -> entries.put(k, new ArrayList<>()));
        Map<String, ManifestContents> contents = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select r.study_instance_uid, r.patient_bsn, r.entry_uuid, r.metadata,"
                + " d.series_uids, d.series_instances from registry_object r left join document_content d"
                + " on r.study_role = 'manifest' and d.repository_unique_id = r.repository_unique_id"
                + " and d.document_unique_id = r.unique_id and d.series_uids is not null"
                + " where r.object_type = 'DocumentEntry' and r.status = 'Approved'"
                + " and r.study_instance_uid = any(?) and r.patient_bsn = any(?) and not (r.entry_uuid = any(?))"
                + " order by r.inserted_at desc, r.unique_id")) {
            ps.setArray(1, c.createArrayOf("text", keys.stream().map(StudyKey::uid).distinct().toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(StudyKey::bsn).distinct().toArray()));
            ps.setArray(3, c.createArrayOf("text", withheld.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<EntryFacts> list = entries.get(new StudyKey(rs.getString(1), rs.getString(2)));
                    if (list != null) {
                        EntryFacts entry = EntryFactsReader.read(rs.getBytes(4), rs.getString(3));
                        list.add(entry);
                        ManifestContents manifest = manifestContents(rs.getArray(5), rs.getArray(6));
                        if (manifest != null) {
                            contents.put(entry.entryUuid(), manifest);
                        }
                    }
                }
            }
        }
        List<ImagingStudySummary> result = new ArrayList<>();
        entries.forEach((key, list) -> {
            if (!list.isEmpty()) {
                result.add(StudySummaryBuilder.summarise(key.uid(), key.bsn(), list, contents));
            }
        });
        return result;
    }

    private static ManifestContents manifestContents(java.sql.Array uids, java.sql.Array instances) throws SQLException {
        if (uids == null || instances == null) {
            return null;
        }
        String[] u = (String[]) uids.getArray();
        Integer[] n = (Integer[]) instances.getArray();
        if (u.length != n.length) {
            return null;
        }
        List<ManifestContents.Series> series = new ArrayList<>();
        for (int i = 0; i < u.length; i++) {
            series.add(new ManifestContents.Series(u[i], n[i]));
        }
        return new ManifestContents(series);
    }
}
