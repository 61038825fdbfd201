package nl.beeldbrug.registry.xds.update;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.db.EmbeddedDatabase;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * JUnit 5 extension for the metadata update and delete tests: one embedded PostgreSQL per test run (in
 * a temp directory, migrated once, removed at the end), emptied after every test, injected as a
 * {@link DataSource} parameter. Private to these tests so that they do not depend on the shared fixture.
 */
public final class RegistryDatabase implements AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RegistryDatabase.class);

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        try (Connection c = server(context).dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate registry_object, association, document_content, patient, audit_event restart identity");
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DataSource.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return server(context).dataSource();
    }

    private static Server server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Server.class, k -> new Server(), Server.class);
    }

    /** The running database; JUnit closes it when the test run ends. */
    private static final class Server implements ExtensionContext.Store.CloseableResource {
        private final Path directory;
        private final EmbeddedDatabase database;

        Server() {
            try {
                directory = Files.createTempDirectory("beeldbrug-registry-update-tests");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            database = EmbeddedDatabase.start(directory.resolve("pgdata"));
            Database.migrate(database.dataSource());
        }

        DataSource dataSource() {
            return database.dataSource();
        }

        @Override
        public void close() throws IOException {
            database.close();
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
