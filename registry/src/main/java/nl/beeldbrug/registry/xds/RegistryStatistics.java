package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.db.Database;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;

/** Counts for operators: registry objects by type and status, associations, stored documents. */
public final class RegistryStatistics {

    private final DataSource dataSource;

    public RegistryStatistics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keys like "DocumentEntry/Approved", "Association", "DocumentContent". */
    public Map<String, Long> counts() {
        return Database.read(dataSource, c -> {
            Map<String, Long> counts = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "select object_type || '/' || status, count(*) from registry_object group by 1"
                            + " union all select 'Association', count(*) from association"
                            + " union all select 'DocumentContent', count(*) from document_content");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
            return counts;
        });
    }
}
