package nl.beeldbrug.registry;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/** style.md "Shape" 1: the registry is plain Java + JDBC; no framework or server types. */
class ArchitectureTest {

    private static final JavaClasses REGISTRY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("nl.beeldbrug.registry");

    @Test
    void theImportSeesTheRegistryClasses() {
        // guards against a rule that passes because it checked nothing
        assertThat(REGISTRY.stream().map(c -> c.getName()))
                .contains("nl.beeldbrug.registry.xds.DocumentRegistryService", "nl.beeldbrug.registry.patient.Bsn");
    }

    @Test
    void registryDependsOnNoFrameworkOrServerTypes() {
        ArchRule rule = noClasses().that().resideInAPackage("nl.beeldbrug.registry..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework..", "org.apache.camel..", "jakarta.servlet..", "ca.uhn.fhir.rest.server..")
                .because("registry/ is plain Java + JDBC; adapters and the gateway bring the frameworks");
        rule.check(REGISTRY);
    }
}
