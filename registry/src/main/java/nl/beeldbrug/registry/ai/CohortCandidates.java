package nl.beeldbrug.registry.ai;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.imaging.ManifestContentReader;
import nl.beeldbrug.registry.imaging.ManifestContents;

/**
 * The registered studies that may match a cohort's criteria, across patients, newest first (earliest serviceStartTime
 * descending, then study UID): every study that has or had a KOS manifest (Approved, or Deprecated by an IOCM
 * rejection, so that the gate can report it), narrowed by modality, start date (Europe/Amsterdam days, inclusive) and
 * data holder (the manifest's author institution URA). The body region is judged by the selector (region hierarchy).
 */
public final class CohortCandidates {

    private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    private static final String AUTHOR_URA = "r.author_ura";
    private static final String ROWS = " from registry_object r where r.object_type = 'DocumentEntry'"
            + " and r.status in ('Approved', 'Deprecated') and r.study_instance_uid is not null";

    private final DataSource dataSource;
    private final ManifestContentReader manifests;

    /** Candidates whose manifest carries the registered series and instance counts only (no SOP Instance UIDs). */
    public CohortCandidates(DataSource dataSource) {
        this(dataSource, ManifestContentReader.NONE);
    }

    /**
     * @param manifests reads the stored KOS manifest of each candidate, so that the gate compares SOP Instance UIDs;
     *                  when it reads nothing the registered counts are used
     */
    public CohortCandidates(DataSource dataSource, ManifestContentReader manifests) {
        this.dataSource = dataSource;
        this.manifests = manifests;
    }

    /** One page of candidates, from {@code offset} (0-based), at most {@code count}. */
    public List<StudyCandidate> page(CohortCriteria criteria, int offset, int count) {
        return Database.read(dataSource, c -> {
            List<Object> parameters = new ArrayList<>();
            StringBuilder sql = new StringBuilder("select r.study_instance_uid, r.patient_bsn, min(r.service_start) as started")
                    .append(ROWS).append(" group by r.study_instance_uid, r.patient_bsn having bool_or(r.study_role = 'manifest')");
            if (!criteria.modalities().isEmpty()) {
                sql.append(" and bool_or(r.modalities && ?)");
                parameters.add(List.copyOf(criteria.modalities()));
            }
            if (criteria.from() != null) {
                sql.append(" and min(r.service_start) >= ?");
                parameters.add(Timestamp.from(criteria.from().atStartOfDay(AMSTERDAM).toInstant()));
            }
            if (criteria.to() != null) {
                sql.append(" and min(r.service_start) < ?");
                parameters.add(Timestamp.from(criteria.to().plusDays(1).atStartOfDay(AMSTERDAM).toInstant()));
            }
            if (!criteria.sources().isEmpty()) {
                sql.append(" and bool_or(r.study_role = 'manifest' and ").append(AUTHOR_URA).append(" = any(?))");
                parameters.add(criteria.sources().stream().map(Ura::value).sorted().toList());
            }
            sql.append(" order by started desc nulls last, r.study_instance_uid, r.patient_bsn limit ? offset ?");
            List<Key> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (Object p : parameters) {
                    if (p instanceof List<?> list) {
                        ps.setArray(i++, c.createArrayOf("text", list.toArray()));
                    } else {
                        ps.setTimestamp(i++, (Timestamp) p);
                    }
                }
                ps.setInt(i++, count);
                ps.setInt(i, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        keys.add(new Key(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return details(c, keys);
        });
    }

    private record Key(String uid, String bsn) {
    }

    /** Collects the entries of one study. */
    private static final class Study {
        final Key key;
        final Set<String> modalities = new LinkedHashSet<>();
        final Set<String> bodySites = new LinkedHashSet<>();
        final Set<String> deprecatedModalities = new LinkedHashSet<>();
        final Set<String> deprecatedBodySites = new LinkedHashSet<>();
        Instant started;
        Instant deprecatedStarted;
        boolean approvedManifest;
        String holder;
        String deprecatedHolder;
        ManifestContents manifest;

        Study(Key key) {
            this.key = key;
        }

        StudyCandidate candidate() {
            boolean rejected = !approvedManifest;
            String ura = rejected ? deprecatedHolder : holder;
            return new StudyCandidate(key.uid(), key.bsn(), ura != null && ura.matches("[0-9]{8}") ? Ura.of(ura) : null,
                    List.copyOf(rejected ? deprecatedModalities : modalities),
                    List.copyOf(rejected ? deprecatedBodySites : bodySites),
                    rejected ? deprecatedStarted : started, rejected ? null : manifest, rejected);
        }
    }

    private List<StudyCandidate> details(Connection c, List<Key> keys) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        Map<Key, Study> studies = new LinkedHashMap<>();
        keys.forEach(k -> studies.put(k, new Study(k)));
        try (PreparedStatement ps = c.prepareStatement("select r.study_instance_uid, r.patient_bsn, r.status, r.study_role,"
                + " r.modalities, r.body_sites, r.service_start, " + AUTHOR_URA + ", d.series_uids, d.series_instances,"
                + (manifests == ManifestContentReader.NONE ? " null" : " d.content")
                + " from registry_object r left join document_content d on r.study_role = 'manifest'"
                + " and d.repository_unique_id = r.repository_unique_id and d.document_unique_id = r.unique_id"
                + " and d.series_uids is not null"
                + " where r.object_type = 'DocumentEntry' and r.status in ('Approved', 'Deprecated')"
                + " and r.study_instance_uid = any(?) and r.patient_bsn = any(?) order by r.inserted_at desc, r.unique_id")) {
            ps.setArray(1, c.createArrayOf("text", keys.stream().map(Key::uid).distinct().toArray()));
            ps.setArray(2, c.createArrayOf("text", keys.stream().map(Key::bsn).distinct().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Study s = studies.get(new Key(rs.getString(1), rs.getString(2)));
                    if (s == null) {
                        continue;
                    }
                    boolean approved = "Approved".equals(rs.getString(3));
                    boolean manifest = "manifest".equals(rs.getString(4));
                    Timestamp start = rs.getTimestamp(7);
                    Instant started = start == null ? null : start.toInstant();
                    if (approved) {
                        s.modalities.addAll(strings(rs.getArray(5)));
                        s.bodySites.addAll(strings(rs.getArray(6)));
                        s.started = earliest(s.started, started);
                        if (manifest && !s.approvedManifest) {
                            s.approvedManifest = true;
                            s.holder = rs.getString(8);
                            s.manifest = read(rs.getBytes(11), s.key.uid()).orElse(contents(rs.getArray(9), rs.getArray(10)));
                        }
                    } else {
                        s.deprecatedModalities.addAll(strings(rs.getArray(5)));
                        s.deprecatedBodySites.addAll(strings(rs.getArray(6)));
                        s.deprecatedStarted = earliest(s.deprecatedStarted, started);
                        if (manifest && s.deprecatedHolder == null) {
                            s.deprecatedHolder = rs.getString(8);
                        }
                    }
                }
            }
        }
        return studies.values().stream().map(Study::candidate).toList();
    }

    /** The manifest's series with their SOP Instance UIDs, when its stored bytes can be read. */
    private Optional<ManifestContents> read(byte[] content, String studyUid) {
        if (content == null) {
            return Optional.empty();
        }
        try {
            return manifests.read(content, studyUid).filter(ManifestContents::instancesKnown);
        } catch (RuntimeException e) {
            return Optional.empty(); // the registered counts stay the evidence
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static ManifestContents contents(Array uids, Array instances) throws SQLException {
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
