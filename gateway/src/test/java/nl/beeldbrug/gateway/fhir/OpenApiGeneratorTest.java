package nl.beeldbrug.gateway.fhir;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI description says what a CapabilityStatement says, and is valid OpenAPI 3. */
class OpenApiGeneratorTest {

    private static OpenAPI parse(String json) {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json);
        assertThat(result.getMessages()).isEmpty();
        return result.getOpenAPI();
    }

    private static Set<String> operations(OpenAPI api) {
        Set<String> operations = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((m, o) -> operations.add(m + " " + path)));
        return operations;
    }

    @Test
    void everyInteractionOperationAndSearchParameterAndNothingElse() {
        CapabilityStatement capabilities = new CapabilityStatement();
        capabilities.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        capabilities.getImplementation().setDescription("Test server");
        CapabilityStatement.CapabilityStatementRestComponent rest = capabilities.addRest();
        rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
        CapabilityStatement.CapabilityStatementRestResourceComponent doc = rest.addResource().setType("DocumentReference");
        doc.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        doc.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.SEARCHTYPE);
        doc.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.CREATE);
        doc.addSearchParam().setName("patient").setType(Enumerations.SearchParamType.REFERENCE);
        doc.addSearchParam().setName("date").setType(Enumerations.SearchParamType.DATE).setDocumentation("When");
        doc.addSearchRevInclude("Provenance:target");
        CapabilityStatement.CapabilityStatementRestResourceComponent patient = rest.addResource().setType("Patient");
        patient.addInteraction().setCode(CapabilityStatement.TypeRestfulInteraction.READ);
        patient.addOperation().setName("everything").setDefinition("http://x/fhir/OperationDefinition/Patient-it-everything");
        OperationDefinition everything = new OperationDefinition().setInstance(true).setType(true).setAffectsState(false);
        everything.addParameter().setName("start").setUse(OperationDefinition.OperationParameterUse.IN).setMin(0);
        everything.addParameter().setName("return").setUse(OperationDefinition.OperationParameterUse.OUT).setMin(1);

        OpenAPI api = parse(new OpenApiGenerator(url -> url.endsWith("Patient-it-everything") ? everything : null)
                .generate(capabilities, "http://127.0.0.1:1/fhir").toPrettyString());

        assertThat(api.getInfo().getTitle()).isEqualTo("Test server");
        assertThat(operations(api)).containsExactly("GET /DocumentReference", "GET /DocumentReference/{id}",
                "GET /Patient/$everything", "GET /Patient/{id}", "GET /Patient/{id}/$everything", "GET /metadata",
                "POST /", "POST /DocumentReference");
        Set<String> searchParameters = new TreeSet<>();
        api.getPaths().get("/DocumentReference").getGet().getParameters().forEach(p -> searchParameters.add(
                p.getName() != null ? p.getName() : p.get$ref().substring(p.get$ref().lastIndexOf('/') + 1)));
        Set<String> expected = new TreeSet<>(Set.of("patient", "date", "_revinclude"));
        expected.addAll(OpenApiGenerator.SEARCH_RESULT_PARAMETERS);
        assertThat(searchParameters).isEqualTo(expected);
        assertThat(api.getPaths().get("/Patient/{id}/$everything").getGet().getParameters())
                .extracting(p -> p.getName() != null ? p.getName() : p.get$ref()).contains("id", "start").doesNotContain("return");
        assertThat(api.getComponents().getSchemas()).containsKeys("DocumentReference", "Patient", "Bundle", "OperationOutcome");
        PathItem root = api.getPaths().get("/");
        assertThat(root.getPost().getRequestBody().getContent()).containsKeys("application/fhir+json", "application/fhir+xml");
    }

    @Test
    void anEmptyServerHasOnlyItsMetadata() {
        CapabilityStatement capabilities = new CapabilityStatement();
        capabilities.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        capabilities.addRest();
        OpenAPI api = parse(new OpenApiGenerator(url -> null).generate(capabilities, "http://127.0.0.1:1/fhir").toPrettyString());
        assertThat(operations(api)).containsExactly("GET /metadata");
    }
}
