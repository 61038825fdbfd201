package nl.beeldbrug.registry.patient;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The patients the affinity domain knows (by BSN). XDS registries accept submissions only for
 * patients known from the identity feed; here that feed is the demo/bulk loaders and {@link #add}.
 */
public final class PatientIndex {

    public boolean exists(Connection c, Bsn bsn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from patient where bsn = ?")) {
            ps.setString(1, bsn.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Adds a patient; returns false when it was already known. */
    public boolean add(Connection c, Bsn bsn) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into patient (bsn) values (?) on conflict do nothing")) {
            ps.setString(1, bsn.value());
            return ps.executeUpdate() == 1;
        }
    }
}
