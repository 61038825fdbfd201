package nl.beeldbrug.gateway.testing;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An embedded PostgreSQL data directory of its own under {@code target/} for one in-process gateway test. */
public final class FreshDatabase {

    private FreshDatabase() {
    }

    /** Call from a {@code @DynamicPropertySource} method: the gateway starts on a new, empty database. */
    public static void register(DynamicPropertyRegistry registry, String name) {
        try {
            Files.createDirectories(Path.of("target"));
            Path directory = Files.createTempDirectory(Path.of("target"), name);
            registry.add("beeldbrug.db.embedded-data-dir", directory::toString);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory under target/", e);
        }
    }
}
