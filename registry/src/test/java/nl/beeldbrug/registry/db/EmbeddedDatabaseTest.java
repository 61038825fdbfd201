package nl.beeldbrug.registry.db;

import nl.beeldbrug.registry.patient.PatientIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static nl.beeldbrug.registry.testing.SampleMetadata.BSN;
import static org.assertj.core.api.Assertions.assertThat;

/** The zero-config database keeps its data in its directory across restarts. */
class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestart(@TempDir Path temp) {
        Path data = temp.resolve("pg");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(data, false)) {
            assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + first.port() + "/postgres");
            String synchronousCommit = Database.read(first.dataSource(), c -> {
                try (var statement = c.createStatement(); var rows = statement.executeQuery("show synchronous_commit")) {
                    rows.next();
                    return rows.getString(1);
                }
            });
            assertThat(synchronousCommit).as("acknowledged commits survive a crash").isEqualTo("on");
            assertThat(Database.migrate(first.dataSource())).isPositive();
            Database.inTransaction(first.dataSource(), c -> new PatientIndex().add(c, BSN));
        }
        assertThat(Files.exists(data.resolve("postmaster.pid"))).as("stopped cleanly").isFalse();

        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(data, false)) {
            assertThat(restarted.dataDirectory()).isEqualTo(data);
            assertThat(Database.migrate(restarted.dataSource())).as("already migrated").isZero();
            boolean known = Database.read(restarted.dataSource(), c -> new PatientIndex().exists(c, BSN));
            assertThat(known).as("data written before the restart").isTrue();
        }
    }
}
