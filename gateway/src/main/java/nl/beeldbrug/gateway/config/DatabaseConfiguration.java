package nl.beeldbrug.gateway.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

/** The PostgreSQL store: external when {@code beeldbrug.db.url} is set, embedded otherwise; migrated at start. */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    /** Present only in the zero-config mode. */
    @Bean(destroyMethod = "close")
    EmbeddedDatabaseHolder embeddedDatabase(BeeldbrugProperties properties) {
        BeeldbrugProperties.Db db = properties.db();
        return new EmbeddedDatabaseHolder(db.embedded() ? EmbeddedDatabase.start(db.embeddedDataDir().toAbsolutePath(), false) : null);
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(BeeldbrugProperties properties, EmbeddedDatabaseHolder embedded) {
        BeeldbrugProperties.Db db = properties.db();
        HikariConfig config = new HikariConfig();
        if (embedded.database() != null) {
            config.setJdbcUrl(embedded.database().jdbcUrl());
            config.setUsername(embedded.database().user());
        } else {
            config.setJdbcUrl(db.url());
            config.setUsername(db.user());
            config.setPassword(db.password());
        }
        config.setMaximumPoolSize(db.poolSize());
        config.setPoolName("beeldbrug");
        HikariDataSource dataSource = new HikariDataSource(config);
        int applied = Database.migrate(dataSource);
        log.info("Database ready ({}), {} migration(s) applied", embedded.database() != null ? "embedded" : "external", applied);
        return dataSource;
    }

    /** Holds the embedded server (or nothing) so that it stops after the pool is closed. */
    public record EmbeddedDatabaseHolder(EmbeddedDatabase database) implements AutoCloseable {
        @Override
        public void close() {
            if (database != null) {
                database.close();
            }
        }
    }
}
