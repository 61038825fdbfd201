package nl.beeldbrug.registry.imaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;

/**
 * Binds {@link StudyAttributes} to the six study columns of {@code registry_object}
 * (study_instance_uid, accession_numbers, modalities, body_sites, service_start, study_role), in
 * that order. Entries of no study get nulls in all six.
 */
public final class StudyColumns {

    private StudyColumns() {
    }

    /** Sets parameters {@code first} … {@code first + 5}; {@code attributes} may be null (not a DocumentEntry). */
    public static void set(PreparedStatement ps, int first, Connection c, StudyAttributes attributes) throws SQLException {
        if (attributes == null || !attributes.belongsToStudy()) {
            ps.setNull(first, Types.VARCHAR);
            ps.setNull(first + 1, Types.ARRAY);
            ps.setNull(first + 2, Types.ARRAY);
            ps.setNull(first + 3, Types.ARRAY);
            ps.setNull(first + 4, Types.TIMESTAMP_WITH_TIMEZONE);
            ps.setNull(first + 5, Types.VARCHAR);
            return;
        }
        ps.setString(first, attributes.studyInstanceUid());
        setArray(ps, first + 1, c, attributes.accessionKeys());
        setArray(ps, first + 2, c, attributes.modalityCodes());
        setArray(ps, first + 3, c, attributes.bodySiteCodes());
        if (attributes.serviceStart() == null) {
            ps.setNull(first + 4, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setTimestamp(first + 4, Timestamp.from(attributes.serviceStart()));
        }
        ps.setString(first + 5, attributes.role().column());
    }

    private static void setArray(PreparedStatement ps, int index, Connection c, List<String> values) throws SQLException {
        if (values.isEmpty()) {
            ps.setNull(index, Types.ARRAY);
        } else {
            ps.setArray(index, c.createArrayOf("text", values.toArray()));
        }
    }
}
