package nl.beeldbrug.registry.consent.store;

import nl.beeldbrug.registry.consent.Actor;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentSource;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Period;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.ProvisionType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The consent registry on PostgreSQL (migration V6): create, read, search per patient, revoke. Consents
 * are never deleted; a revocation is a status change with a new version and an entry in the history.
 */
public final class ConsentStore implements ConsentSource {

    private static final String SELECT = "select c.id, c.patient_bsn, c.status, c.date_time, p.ordinal, p.type,"
            + " p.period_start, p.period_end, p.actor_uras, p.actor_org_types, p.purposes, p.data_classes, p.study_uids"
            + " from consent c join consent_provision p on p.consent_id = c.id";

    private final DataSource dataSource;
    private final Clock clock;

    public ConsentStore(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A fresh logical id for a new consent. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Stores a new consent (status active or inactive).
     *
     * @throws ConsentConflictException when a consent with this id exists
     */
    public ConsentRecord create(ConsentRecord consent) {
        if (consent.status() == ConsentStatus.REVOKED) {
            throw new IllegalArgumentException("a consent is created active or inactive, and revoked later");
        }
        Instant now = clock.instant();
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into consent (id, patient_bsn, status, date_time, version, recorded_at, updated_at)"
                            + " values (?,?,?,?,1,?,?) on conflict (id) do nothing")) {
                ps.setString(1, consent.id());
                ps.setString(2, consent.patient().value());
                ps.setString(3, code(consent.status()));
                ps.setTimestamp(4, Timestamp.from(consent.dateTime()));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setTimestamp(6, Timestamp.from(now));
                if (ps.executeUpdate() == 0) {
                    throw new ConsentConflictException("a consent with id " + consent.id() + " exists");
                }
            }
            insertProvisions(c, consent);
            event(c, consent.id(), 1, consent.status(), "created", null, now);
            return consent;
        });
    }

    public Optional<ConsentRecord> read(String id) {
        List<ConsentRecord> found = Database.read(dataSource, c -> select(c, SELECT + " where c.id = ? order by p.ordinal", id));
        return found.stream().findFirst();
    }

    /** Every consent of the patient, any status, oldest first. */
    public List<ConsentRecord> search(Bsn patient) {
        return Database.read(dataSource, c -> select(c,
                SELECT + " where c.patient_bsn = ? order by c.recorded_at, c.id, p.ordinal", patient.value()));
    }

    /** The patient's consents with this status. */
    public List<ConsentRecord> search(Bsn patient, ConsentStatus status) {
        return search(patient).stream().filter(r -> r.status() == status).toList();
    }

    @Override
    public List<ConsentRecord> consentsOf(Bsn patient) {
        return search(patient);
    }

    /** Ids of the consents (any status) with a provision naming this study. */
    public List<String> idsNamingStudy(String studyInstanceUid) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select distinct consent_id from consent_provision where study_uids @> array[?]::text[] order by consent_id")) {
                ps.setString(1, studyInstanceUid);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * Revokes a consent: status revoked, version + 1, the reason kept in the history. Revoking a revoked
     * consent changes nothing. Empty when there is no such consent.
     */
    public Optional<ConsentRecord> revoke(String id, String reason) {
        Instant now = clock.instant();
        Optional<Boolean> changed = Database.inTransaction(dataSource, c -> {
            int version;
            String status;
            try (PreparedStatement ps = c.prepareStatement("select version, status from consent where id = ? for update")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    version = rs.getInt(1);
                    status = rs.getString(2);
                }
            }
            if (status.equals(code(ConsentStatus.REVOKED))) {
                return Optional.of(false);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update consent set status = 'revoked', version = ?, updated_at = ? where id = ?")) {
                ps.setInt(1, version + 1);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, id);
                ps.executeUpdate();
            }
            event(c, id, version + 1, ConsentStatus.REVOKED, "revoked", reason, now);
            return Optional.of(true);
        });
        return changed.flatMap(x -> read(id));
    }

    /** The consent's history, oldest first. */
    public List<ConsentEvent> history(String id) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select version, status, event, reason, recorded_at from consent_event where consent_id = ? order by id")) {
                ps.setString(1, id);
                List<ConsentEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new ConsentEvent(rs.getInt(1), status(rs.getString(2)), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant()));
                    }
                }
                return events;
            }
        });
    }

    /** The current version (meta.versionId) of a consent, or empty. */
    public Optional<Integer> version(String id) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select version from consent where id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
                }
            }
        });
    }

    /** One entry of a consent's history. */
    public record ConsentEvent(int version, ConsentStatus status, String event, String reason, Instant recordedAt) {
    }

    private static void insertProvisions(Connection c, ConsentRecord consent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into consent_provision (consent_id, ordinal, type, period_start, period_end, actor_uras,"
                        + " actor_org_types, purposes, data_classes, study_uids) values (?,?,?,?,?,?,?,?,?,?)")) {
            int ordinal = 0;
            for (Provision p : consent.provisions()) {
                List<String> uras = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (Actor a : p.actors()) {
                    if (a instanceof Actor.Organisation o) {
                        uras.add(o.ura().value());
                    } else if (a instanceof Actor.OfType t) {
                        types.add(t.type().code());
                    }
                }
                ps.setString(1, consent.id());
                ps.setInt(2, ordinal++);
                ps.setString(3, p.type().fhirCode());
                ps.setTimestamp(4, p.period().start() == null ? null : Timestamp.from(p.period().start()));
                ps.setTimestamp(5, p.period().end() == null ? null : Timestamp.from(p.period().end()));
                ps.setArray(6, textArray(c, uras));
                ps.setArray(7, textArray(c, types));
                ps.setArray(8, textArray(c, p.purposes().stream().map(PurposeOfUse::code).toList()));
                ps.setArray(9, textArray(c, p.dataClasses().stream().map(Enum::name).toList()));
                ps.setArray(10, textArray(c, p.studyUids()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Array textArray(Connection c, java.util.Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.stream().sorted().toArray());
    }

    private static void event(Connection c, String id, int version, ConsentStatus status, String event, String reason,
                              Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into consent_event (consent_id, version, status, event, reason, recorded_at) values (?,?,?,?,?,?)")) {
            ps.setString(1, id);
            ps.setInt(2, version);
            ps.setString(3, code(status));
            ps.setString(4, event);
            ps.setString(5, reason);
            ps.setTimestamp(6, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private static List<ConsentRecord> select(Connection c, String sql, String parameter) throws SQLException {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    Row row = rows.get(id);
                    if (row == null) {
                        row = new Row(id, Bsn.of(rs.getString(2)), status(rs.getString(3)), rs.getTimestamp(4).toInstant(), new ArrayList<>());
                        rows.put(id, row);
                    }
                    row.provisions().add(provision(rs));
                }
            }
        }
        return rows.values().stream()
                .map(r -> new ConsentRecord(r.id(), r.patient(), r.status(), r.dateTime(), r.provisions())).toList();
    }

    private static Provision provision(ResultSet rs) throws SQLException {
        Set<Actor> actors = new LinkedHashSet<>();
        for (String ura : strings(rs, 9)) {
            actors.add(Actor.organisation(Ura.of(ura)));
        }
        for (String type : strings(rs, 10)) {
            actors.add(Actor.organisationType(OrganisationType.of(type)));
        }
        Set<PurposeOfUse> purposes = new LinkedHashSet<>();
        for (String code : strings(rs, 11)) {
            purposes.add(PurposeOfUse.fromCode(code));
        }
        Set<DataClass> classes = new LinkedHashSet<>();
        for (String name : strings(rs, 12)) {
            classes.add(DataClass.valueOf(name));
        }
        Timestamp start = rs.getTimestamp(7);
        Timestamp end = rs.getTimestamp(8);
        return new Provision(ProvisionType.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)), actors, purposes,
                new Period(start == null ? null : start.toInstant(), end == null ? null : end.toInstant()),
                classes, Set.of(strings(rs, 13)));
    }

    private static String[] strings(ResultSet rs, int column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? new String[0] : (String[]) array.getArray();
    }

    private static String code(ConsentStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static ConsentStatus status(String code) {
        return ConsentStatus.valueOf(code.toUpperCase(Locale.ROOT));
    }

    private record Row(String id, Bsn patient, ConsentStatus status, Instant dateTime, List<Provision> provisions) {
    }
}
