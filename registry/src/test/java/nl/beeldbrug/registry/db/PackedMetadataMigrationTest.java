package nl.beeldbrug.registry.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.XdsStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Version;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V15 converts a registry that stored its metadata as jsonb (V1–V14) to packed metadata: every object and association
 * reads back as it was registered, and the author URA column is filled from the old JSON.
 */
@ExtendWith(RegistryDatabaseExtension.class)
class PackedMetadataMigrationTest {

    private final TestDatabase db;

    PackedMetadataMigrationTest(TestDatabase db) {
        this.db = db;
    }

    @Test
    void rowsStoredAsJsonbBeforeV15ReadBackUnchangedAfterIt() throws Exception {
        String name = "v15_" + System.nanoTime();
        execute("create database " + name);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(2);
        try (HikariDataSource old = new HikariDataSource(config)) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration").target("14").load().migrate();

            SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);
            String study = SampleMetadata.newUid();
            DocumentEntry kos = sample.kos(study);
            DocumentEntry report = sample.report(study);
            SubmissionSet set = sample.submissionSet();
            Association membership = sample.association(AssociationType.HAS_MEMBER, set.getEntryUuid(), kos.getEntryUuid());
            for (XDSMetaClass object : List.of(kos, report, set)) {
                object.setAvailabilityStatus(AvailabilityStatus.APPROVED); // as the registry stores them
                object.setVersion(new Version("1"));
            }
            membership.setAvailabilityStatus(AvailabilityStatus.APPROVED);
            Database.inTransaction(old, c -> {
                try (PreparedStatement ps = c.prepareStatement("insert into patient (bsn) values (?)")) {
                    ps.setString(1, SampleMetadata.BSN.value());
                    ps.executeUpdate();
                }
                insertAsJsonb(c, kos, "manifest");
                insertAsJsonb(c, report, "report");
                insertAsJsonb(c, set, null);
                try (PreparedStatement ps = c.prepareStatement("insert into association (entry_uuid, association_type,"
                        + " source_uuid, target_uuid, status, metadata) values (?,?,?,?,'Approved',?::jsonb)")) {
                    ps.setString(1, membership.getEntryUuid());
                    ps.setString(2, membership.getAssociationType().name());
                    ps.setString(3, membership.getSourceUuid());
                    ps.setString(4, membership.getTargetUuid());
                    ps.setString(5, MetadataJson.write(membership));
                    ps.executeUpdate();
                }
                return null;
            });

            assertThat(Database.migrate(old)).isEqualTo(countAfter14());

            XdsStore store = new XdsStore();
            Database.read(old, c -> {
                List<XDSMetaClass> objects = store.findByUuids(c, List.of(kos.getEntryUuid(), report.getEntryUuid(), set.getEntryUuid()));
                assertThat(objects).hasSize(3);
                for (XDSMetaClass registered : List.of(kos, report, set)) {
                    XDSMetaClass back = objects.stream().filter(o -> o.getEntryUuid().equals(registered.getEntryUuid())).findFirst().orElseThrow();
                    assertThat(MetadataJson.write(back)).isEqualTo(MetadataJson.write(registered));
                }
                List<Association> associations = store.findAssociationsByUuids(c, List.of(membership.getEntryUuid()));
                assertThat(associations).singleElement().satisfies(a -> assertThat(MetadataJson.write(a)).isEqualTo(MetadataJson.write(membership)));
                return null;
            });
            assertThat(query(old, "select data_type from information_schema.columns where table_name = 'registry_object'"
                    + " and column_name = 'metadata'")).isEqualTo("bytea");
            assertThat(query(old, "select data_type from information_schema.columns where table_name = 'association'"
                    + " and column_name = 'metadata'")).isEqualTo("bytea");
            assertThat(query(old, "select string_agg(coalesce(author_ura, '-'), ',' order by object_type, study_role)"
                    + " from registry_object")).isEqualTo("00001234,00001234,-");
            assertThat(new ImagingStudyIndex(old).organisation("00001234"))
                    .contains(new ImagingStudySummary.Organisation("Ziekenhuis Beeldbrug", "00001234"));
        } finally {
            execute("drop database if exists " + name + " with (force)");
        }
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The migrations after V14 (V15 and whatever follows it), as the shared test database has applied them. */
    private int countAfter14() {
        return Integer.parseInt(query(db.dataSource(), "select count(*) from flyway_schema_history where success"
                + " and version is not null and string_to_array(version, '.')::int[] > '{14}'::int[]"));
    }

    private static void insertAsJsonb(Connection c, XDSMetaClass object, String role) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into registry_object (entry_uuid, object_type, unique_id,"
                + " logical_id, patient_bsn, status, metadata, study_instance_uid, study_role)"
                + " values (?,?,?,?,?,'Approved',?::jsonb,?,?)")) {
            ps.setString(1, object.getEntryUuid());
            ps.setString(2, object instanceof DocumentEntry ? "DocumentEntry" : "SubmissionSet");
            ps.setString(3, object.getUniqueId());
            ps.setString(4, object.getEntryUuid());
            ps.setString(5, SampleMetadata.BSN.value());
            ps.setString(6, MetadataJson.write(object));
            boolean entry = object instanceof DocumentEntry;
            ps.setString(7, entry ? ((DocumentEntry) object).getReferenceIdList().get(0).getId() : null);
            ps.setString(8, role);
            ps.executeUpdate();
        }
    }

    private static String query(javax.sql.DataSource dataSource, String sql) {
        return Database.read(dataSource, c -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getString(1);
            }
        });
    }
}
