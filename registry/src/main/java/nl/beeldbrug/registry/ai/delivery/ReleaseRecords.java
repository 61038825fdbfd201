package nl.beeldbrug.registry.ai.delivery;

import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The first release of each study to each AI platform (migration V14, {@code ai_provenance}): what a FHIR Provenance
 * is made of. Later releases of the same study to the same platform keep the first record.
 */
public final class ReleaseRecords {

    /** The first release of a pseudonymous study to a platform, over {@code channel} ("wado-rs" or "export"). */
    public record Released(UUID id, Ura platform, String pseudoStudyUid, String channel, Instant recorded) {
    }

    private static final String COLUMNS = "id, platform, pseudo_study_uid, channel, recorded";

    private final DataSource dataSource;

    public ReleaseRecords(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the release unless the study was released to the platform before; true when this one is the first. */
    public boolean first(Ura platform, String pseudoStudyUid, String channel, Instant at) {
        return Database.inTransaction(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into ai_provenance (" + COLUMNS + ") values (?, ?, ?, ?, ?)"
                    + " on conflict (platform, pseudo_study_uid) do nothing")) {
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, platform.value());
                ps.setString(3, pseudoStudyUid);
                ps.setString(4, channel);
                ps.setTimestamp(5, Timestamp.from(at));
                return ps.executeUpdate() > 0;
            }
        });
    }

    public Optional<Released> read(UUID id) {
        List<Released> found = query("where id = ?", id, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The releases of a pseudonymous study (to any platform: the caller filters), at most {@code max}. */
    public List<Released> ofStudy(String pseudoStudyUid, int max) {
        return query("where pseudo_study_uid = ?", pseudoStudyUid, max);
    }

    /** The releases to a platform, newest first, at most {@code max}. */
    public List<Released> ofPlatform(Ura platform, int max) {
        return query("where platform = ?", platform.value(), max);
    }

    /** All releases, newest first, at most {@code max}. */
    public List<Released> all(int max) {
        return query("where true", null, max);
    }

    private List<Released> query(String where, Object arg, int max) {
        return Database.read(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from ai_provenance " + where
                    + " order by recorded desc, id limit ?")) {
                int i = 1;
                if (arg != null) {
                    ps.setObject(i++, arg);
                }
                ps.setInt(i, max);
                List<Released> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Released(rs.getObject(1, UUID.class), Ura.of(rs.getString(2)), rs.getString(3),
                                rs.getString(4), rs.getTimestamp(5).toInstant()));
                    }
                }
                return out;
            }
        });
    }
}
