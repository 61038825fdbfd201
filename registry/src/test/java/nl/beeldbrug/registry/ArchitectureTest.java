package nl.beeldbrug.registry;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** style.md "Shape" 1: the registry is plain Java + JDBC; no framework or server types. */
class ArchitectureTest {

    /** The module's main classes, read from where they were compiled (faster than a classpath scan). */
    private static final JavaClasses REGISTRY = importMainClasses();

    private static JavaClasses importMainClasses() {
        // dependencies are judged by their names: no need to import IPF, HAPI, Jackson... behind them.
        // Set here rather than in an archunit.properties, which the test-jar would hand to other modules.
        ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
        try {
            Path location = Path.of(Bsn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new ClassFileImporter().importPath(location);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theImportSeesTheRegistryClasses() {
        // guards against a rule that passes because it checked nothing
        assertThat(REGISTRY.stream().map(c -> c.getName()))
                .contains("nl.beeldbrug.registry.xds.DocumentRegistryService", "nl.beeldbrug.registry.patient.Bsn")
                .noneMatch(name -> name.endsWith("Test"));
    }

    private static final ArchRule PLAIN_JAVA = noClasses().that().resideInAPackage("nl.beeldbrug.registry..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "org.apache.camel..", "jakarta.servlet..", "ca.uhn.fhir.rest.server..")
            .because("registry/ is plain Java + JDBC; adapters and the gateway bring the frameworks");

    @Test
    void registryDependsOnNoFrameworkOrServerTypes() {
        PLAIN_JAVA.check(REGISTRY);
    }

    @Test
    void theRuleCatchesAViolation() {
        // jakarta.servlet comes along with IPF, so a registry class could use it by accident
        JavaClasses violating = new ClassFileImporter().importClasses(UsesServletApi.class);
        assertThat(PLAIN_JAVA.evaluate(violating).hasViolation()).isTrue();
    }

    /** A registry-package class that uses a servlet type (test fixture for the rule). */
    static final class UsesServletApi {
        String remoteAddress(jakarta.servlet.http.HttpServletRequest request) {
            return request.getRemoteAddr();
        }
    }
}
