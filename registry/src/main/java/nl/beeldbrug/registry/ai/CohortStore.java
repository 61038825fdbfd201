package nl.beeldbrug.registry.ai;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.db.Database;

/**
 * The AI cohorts on PostgreSQL (migration V13): a cohort with its criteria, then its studies in selection order, each
 * INCLUDED or EXCLUDED with a reason. Cohorts are kept (the platform's DICOMweb view and exports read their members).
 */
public final class CohortStore {

    private static final String MEMBER_COLUMNS = "cohort_id, study_uid, pseudo_study_uid, patient_bsn, patient_pseudonym, holder";

    private final DataSource dataSource;

    public CohortStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Stores a new, empty cohort of {@code platform} (time kept to the microsecond, as PostgreSQL does). */
    public Cohort create(Ura platform, CohortCriteria criteria, Instant at) {
        Cohort cohort = new Cohort(UUID.randomUUID(), platform, criteria, at.truncatedTo(ChronoUnit.MICROS));
        Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into ai_cohort (id, platform, modalities, body_region,"
                    + " date_from, date_to, sources, max_count, created_at) values (?,?,?,?,?,?,?,?,?)")) {
                ps.setObject(1, cohort.id());
                ps.setString(2, platform.value());
                ps.setArray(3, c.createArrayOf("text", criteria.modalities().stream().sorted().toArray()));
                ps.setString(4, criteria.bodyRegion());
                setDate(ps, 5, criteria.from());
                setDate(ps, 6, criteria.to());
                ps.setArray(7, c.createArrayOf("text", criteria.sources().stream().map(Ura::value).sorted().toArray()));
                ps.setInt(8, criteria.maxCount());
                ps.setTimestamp(9, Timestamp.from(cohort.created()));
                return ps.executeUpdate();
            }
        });
        return cohort;
    }

    /**
     * Records a cohort's outcome in one transaction: the members, then the exclusions, each list in its order (members
     * first). Called once per cohort, after selection.
     */
    public void record(UUID cohortId, List<CohortMember> members, List<CohortExclusion> exclusions) {
        Database.inTransaction(dataSource, c -> {
            String platform = platformOf(c, cohortId);
            int position = nextPosition(c, cohortId);
            try (PreparedStatement ps = c.prepareStatement("insert into ai_cohort_study (cohort_id, position, platform,"
                    + " study_uid, pseudo_study_uid, status, patient_bsn, patient_pseudonym, holder, reason_code, reason_detail)"
                    + " values (?,?,?,?,?,?,?,?,?,?,?)")) {
                for (CohortMember m : members) {
                    requireCohort(cohortId, m.cohortId());
                    bindRow(ps, cohortId, position++, platform, m.studyUid(), m.pseudoStudyUid(), "INCLUDED");
                    ps.setString(7, m.bsn());
                    ps.setString(8, m.patientPseudonym());
                    ps.setString(9, m.holder() == null ? null : m.holder().value());
                    ps.setNull(10, Types.VARCHAR);
                    ps.setNull(11, Types.VARCHAR);
                    ps.addBatch();
                }
                for (CohortExclusion x : exclusions) {
                    requireCohort(cohortId, x.cohortId());
                    bindRow(ps, cohortId, position++, platform, x.studyUid(), x.pseudoStudyUid(), "EXCLUDED");
                    ps.setNull(7, Types.VARCHAR);
                    ps.setNull(8, Types.VARCHAR);
                    ps.setString(9, x.holder() == null ? null : x.holder().value());
                    ps.setString(10, x.reason().code());
                    ps.setString(11, truncate(x.reason().detail(), 512));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public Optional<Cohort> cohort(UUID id) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select id, platform, modalities, body_region, date_from, date_to,"
                    + " sources, max_count, created_at from ai_cohort where id = ?")) {
                ps.setObject(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<Cohort>empty();
                    }
                    CohortCriteria criteria = new CohortCriteria(strings(rs.getArray(3)), rs.getString(4),
                            localDate(rs.getDate(5)), localDate(rs.getDate(6)),
                            strings(rs.getArray(7)).stream().map(Ura::of).collect(Collectors.toSet()), rs.getInt(8));
                    return Optional.of(new Cohort(rs.getObject(1, UUID.class), Ura.of(rs.getString(2)), criteria,
                            rs.getTimestamp(9).toInstant()));
                }
            }
        });
    }

    /** The cohorts of a platform, newest first. */
    public List<UUID> cohortsOf(Ura platform) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select id from ai_cohort where platform = ? order by created_at desc, id")) {
                ps.setString(1, platform.value());
                List<UUID> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
                return ids;
            }
        });
    }

    /** The INCLUDED members of a cohort, in selection order. */
    public List<CohortMember> members(UUID cohortId) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + MEMBER_COLUMNS + " from ai_cohort_study"
                    + " where cohort_id = ? and status = 'INCLUDED' order by position")) {
                ps.setObject(1, cohortId);
                return readMembers(ps);
            }
        });
    }

    /**
     * The INCLUDED member with this pseudonymous study UID in any of the platform's cohorts (the newest cohort's, should
     * several hold it); empty when the platform was never given that study.
     */
    public Optional<CohortMember> member(Ura platform, String pseudoStudyUid) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select s." + MEMBER_COLUMNS.replace(", ", ", s.")
                    + " from ai_cohort_study s join ai_cohort k on k.id = s.cohort_id"
                    + " where s.platform = ? and s.pseudo_study_uid = ? and s.status = 'INCLUDED'"
                    + " order by k.created_at desc, s.position limit 1")) {
                ps.setString(1, platform.value());
                ps.setString(2, pseudoStudyUid);
                return readMembers(ps).stream().findFirst();
            }
        });
    }

    /** The exclusions of a cohort, in selection order. */
    public List<CohortExclusion> exclusions(UUID cohortId) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select cohort_id, study_uid, pseudo_study_uid, holder,"
                    + " reason_code, reason_detail from ai_cohort_study where cohort_id = ? and status = 'EXCLUDED'"
                    + " order by position")) {
                ps.setObject(1, cohortId);
                List<CohortExclusion> result = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(new CohortExclusion(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                ura(rs.getString(4)), new Exclusion(rs.getString(5), rs.getString(6))));
                    }
                }
                return result;
            }
        });
    }

    private static List<CohortMember> readMembers(PreparedStatement ps) throws SQLException {
        List<CohortMember> result = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                result.add(new CohortMember(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), ura(rs.getString(6))));
            }
        }
        return result;
    }

    private static void bindRow(PreparedStatement ps, UUID cohortId, int position, String platform, String studyUid,
                                String pseudoStudyUid, String status) throws SQLException {
        ps.setObject(1, cohortId);
        ps.setInt(2, position);
        ps.setString(3, platform);
        ps.setString(4, studyUid);
        ps.setString(5, pseudoStudyUid);
        ps.setString(6, status);
    }

    private static String platformOf(Connection c, UUID cohortId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select platform from ai_cohort where id = ? for update")) {
            ps.setObject(1, cohortId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no cohort " + cohortId);
                }
                return rs.getString(1);
            }
        }
    }

    private static int nextPosition(Connection c, UUID cohortId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(max(position) + 1, 0) from ai_cohort_study where cohort_id = ?")) {
            ps.setObject(1, cohortId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void requireCohort(UUID expected, UUID actual) {
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException("a study of another cohort");
        }
    }

    private static void setDate(PreparedStatement ps, int index, LocalDate date) throws SQLException {
        if (date == null) {
            ps.setNull(index, Types.DATE);
        } else {
            ps.setDate(index, Date.valueOf(date));
        }
    }

    private static LocalDate localDate(Date date) {
        return date == null ? null : date.toLocalDate();
    }

    private static Set<String> strings(Array array) throws SQLException {
        return array == null ? Set.of() : new LinkedHashSet<>(Arrays.asList((String[]) array.getArray()));
    }

    private static Ura ura(String value) {
        return value == null ? null : Ura.of(value);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
