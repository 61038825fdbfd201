package db.migration;

import nl.beeldbrug.registry.xds.MetadataJson;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Stores the metadata of registry objects and associations packed ({@link nl.beeldbrug.registry.xds.PackedMetadata}:
 * deflate against a dictionary of typical XDS-I metadata, ~250 bytes for an entry that took ~1.7 KB of TOAST as jsonb)
 * instead of as jsonb, and copies the one value queries read from inside it — the first author institution's URA —
 * into {@code registry_object.author_ura}. Rows already stored are converted in this transaction: each one's JSON is
 * read into the IPF model and written again, as the registry writes new rows.
 */
public class V15__packed_metadata extends BaseJavaMigration {

    private static final int BATCH = 1000;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("alter table registry_object add column author_ura varchar(64), add column metadata_packed bytea");
            s.execute("update registry_object set author_ura = jsonb_path_query_first(metadata,"
                    + " '$.author[*].authorInstitution[*] ? (@.assigningAuthority.universalId == \"2.16.528.1.1007.3.3\").idNumber')"
                    + " #>> '{}' where object_type = 'DocumentEntry'");
            s.execute("alter table association add column metadata_packed bytea");
        }
        pack(c, "registry_object", "object_type");
        pack(c, "association", "'Association'");
        try (Statement s = c.createStatement()) {
            for (String table : new String[] {"registry_object", "association"}) {
                s.execute("alter table " + table + " drop column metadata");
                s.execute("alter table " + table + " rename column metadata_packed to metadata");
                s.execute("alter table " + table + " alter column metadata set not null");
            }
            s.execute("create index registry_object_author_ura on registry_object (author_ura) where author_ura is not null");
        }
    }

    private static void pack(Connection c, String table, String kind) throws SQLException {
        try (Statement read = c.createStatement();
             PreparedStatement write = c.prepareStatement("update " + table + " set metadata_packed = ? where entry_uuid = ?")) {
            read.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rs = read.executeQuery("select entry_uuid, " + kind + ", metadata::text from " + table)) {
                while (rs.next()) {
                    Class<?> type = switch (rs.getString(2)) {
                        case "DocumentEntry" -> DocumentEntry.class;
                        case "SubmissionSet" -> SubmissionSet.class;
                        case "Folder" -> Folder.class;
                        default -> Association.class;
                    };
                    Object model = MetadataJson.read(rs.getString(3), type);
                    write.setBytes(1, MetadataJson.writePacked(model));
                    write.setString(2, rs.getString(1));
                    write.addBatch();
                    if (++pending == BATCH) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
    }
}
