package nl.beeldbrug.gateway.config;

import com.zaxxer.hikari.HikariDataSource;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code beeldbrug.db.url} set the gateway uses that PostgreSQL (here a separate server the
 * test starts; it stops with the JVM), migrates it and loads the demo data there, and starts no
 * embedded server.
 */
@DirtiesContext // one gateway context at a time: its SOAP endpoints share CXF's bus
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.server.port=0",
        "beeldbrug.demo.studies=12",
        "beeldbrug.db.embedded-data-dir=target/external-it-must-not-exist"})
class ExternalDatabaseIT {

    private static EmbeddedDatabase external;

    @DynamicPropertySource
    static void externalDatabase(DynamicPropertyRegistry registry) throws Exception {
        external = EmbeddedDatabase.start(Files.createTempDirectory("beeldbrug-external-pg"));
        registry.add("beeldbrug.db.url", external::jdbcUrl);
        registry.add("beeldbrug.db.user", external::user);
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    DatabaseConfiguration.EmbeddedDatabaseHolder embedded;

    @Test
    void usesTheConfiguredServerAndStartsNoEmbeddedOne() throws Exception {
        assertThat(embedded.database()).isNull();
        assertThat(Path.of("target/external-it-must-not-exist")).doesNotExist();
        assertThat(((HikariDataSource) dataSource).getJdbcUrl()).isEqualTo(external.jdbcUrl());

        // the schema and the demo data are in the external server
        long entries = Database.read(external.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(*) from registry_object where object_type = 'DocumentEntry'");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(entries).isEqualTo(24); // 12 studies: a KOS manifest and a report each
    }
}
