package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden files under {@code src/test/resources/fixtures/fhir/}: a resource is compared with its
 * pretty-printed JSON. Run with {@code -Dfixtures.update=true} to (re)write them, then review the diff.
 */
public final class Golden {

    private static final Path DIRECTORY = Path.of("src/test/resources/fixtures/fhir");

    private Golden() {
    }

    /** {@code fileName} is relative to the fixtures directory, e.g. {@code mhd/list-folder.json}. */
    public static void assertMatches(IBaseResource resource, String fileName) {
        String json = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(resource) + "\n";
        Path file = DIRECTORY.resolve(fileName);
        try {
            if (Boolean.getBoolean("fixtures.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, json, StandardCharsets.UTF_8);
            }
            assertThat(json).as("golden file %s", file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("golden file " + file + " (write it with -Dfixtures.update=true)", e);
        }
    }
}
