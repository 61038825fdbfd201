package nl.beeldbrug.gateway.fhir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceInteractionComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemInteractionComponent;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.PrimitiveType;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An OpenAPI 3.0 description of the FHIR server, generated from its own CapabilityStatement (and the
 * OperationDefinitions it references), so it can only say what the server says it does: one path per
 * interaction and operation listed, each search with exactly the search parameters listed (plus the
 * common result parameters every search understands, as shared components). Pure.
 */
public final class OpenApiGenerator {

    /** Result parameters every search understands; shared components, referenced from each search. */
    public static final List<String> SEARCH_RESULT_PARAMETERS = List.of("_count", "_offset", "_summary", "_elements", "_format", "_pretty");
    /** Result parameters every read and operation understands. */
    public static final List<String> READ_RESULT_PARAMETERS = List.of("_summary", "_elements", "_format", "_pretty");

    private static final String FHIR_JSON = "application/fhir+json";
    private static final String FHIR_XML = "application/fhir+xml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<String, OperationDefinition> operationDefinitions;

    /** @param operationDefinitions the OperationDefinition a CapabilityStatement operation references (null when unknown) */
    public OpenApiGenerator(Function<String, OperationDefinition> operationDefinitions) {
        this.operationDefinitions = operationDefinitions;
    }

    public ObjectNode generate(CapabilityStatement capabilities, String serverBase) {
        ObjectNode api = JSON.createObjectNode();
        api.put("openapi", "3.0.3");
        ObjectNode info = api.putObject("info");
        info.put("title", capabilities.hasImplementation() && capabilities.getImplementation().hasDescription()
                ? capabilities.getImplementation().getDescription() : "FHIR server");
        info.put("version", capabilities.getSoftware().hasVersion() ? capabilities.getSoftware().getVersion()
                : capabilities.getFhirVersion().toCode());
        info.put("description", "Generated from the server's CapabilityStatement (" + serverBase + "/metadata), FHIR "
                + capabilities.getFhirVersion().toCode() + ".");
        api.putArray("servers").addObject().put("url", serverBase);
        ObjectNode paths = api.putObject("paths");
        ObjectNode components = api.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode parameters = components.putObject("parameters");
        commonParameters(parameters);
        Set<String> types = new TreeSet<>(List.of("Bundle", "OperationOutcome", "CapabilityStatement"));

        operation(paths, "/metadata", "get", "capabilities", "The server's CapabilityStatement", List.of(),
                "CapabilityStatement");
        for (CapabilityStatementRestComponent rest : capabilities.getRest()) {
            for (SystemInteractionComponent interaction : rest.getInteraction()) {
                String code = interaction.getCode().toCode();
                if ("transaction".equals(code) || "batch".equals(code)) {
                    ObjectNode post = operation(paths, "/", "post", code, "FHIR " + code, List.of(), "Bundle");
                    post.set("requestBody", body("Bundle"));
                }
            }
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                String type = resource.getType();
                types.add(type);
                for (ResourceInteractionComponent interaction : resource.getInteraction()) {
                    switch (interaction.getCode()) {
                        case READ -> read(paths, type);
                        case SEARCHTYPE -> search(paths, resource);
                        case VREAD -> operation(paths, "/" + type + "/{id}/_history/{vid}", "get", "vread",
                                "Read a version of a " + type, List.of(pathParameter("id"), pathParameter("vid")), type);
                        case CREATE -> operation(paths, "/" + type, "post", "create", "Create a " + type, List.of(), type)
                                .set("requestBody", body(type));
                        case UPDATE -> operation(paths, "/" + type + "/{id}", "put", "update", "Update a " + type,
                                List.of(pathParameter("id")), type).set("requestBody", body(type));
                        case DELETE -> operation(paths, "/" + type + "/{id}", "delete", "delete", "Delete a " + type,
                                List.of(pathParameter("id")), "OperationOutcome");
                        default -> { } // history and patch are not described here
                    }
                }
                for (CapabilityStatementRestResourceOperationComponent op : resource.getOperation()) {
                    resourceOperation(paths, type, op);
                }
            }
        }
        for (String type : types) {
            ObjectNode schema = schemas.putObject(type);
            schema.put("type", "object");
            schema.put("description", "FHIR R4 " + type + " (https://hl7.org/fhir/R4/" + type.toLowerCase() + ".html)");
            schema.putArray("required").add("resourceType");
            schema.putObject("properties").putObject("resourceType").put("type", "string").putArray("enum").add(type);
        }
        return api;
    }

    private void read(ObjectNode paths, String type) {
        operation(paths, "/" + type + "/{id}", "get", "read", "Read a " + type, withReadParameters(List.of(pathParameter("id"))), type);
    }

    private void search(ObjectNode paths, CapabilityStatementRestResourceComponent resource) {
        String type = resource.getType();
        ArrayNode parameters = JSON.createArrayNode();
        for (CapabilityStatementRestResourceSearchParamComponent param : resource.getSearchParam()) {
            ObjectNode p = parameters.addObject();
            p.put("name", param.getName());
            p.put("in", "query");
            p.put("required", false);
            p.put("description", (param.hasDocumentation() ? param.getDocumentation() + " " : "")
                    + "(FHIR search parameter type: " + param.getType().toCode() + ")");
            p.put("x-fhir-search-type", param.getType().toCode());
            p.putObject("schema").put("type", "string");
        }
        includes(parameters, "_include", resource.getSearchInclude());
        includes(parameters, "_revinclude", resource.getSearchRevInclude());
        for (String common : SEARCH_RESULT_PARAMETERS) {
            parameters.addObject().put("$ref", "#/components/parameters/" + common);
        }
        ObjectNode get = operation(paths, "/" + type, "get", "search-type", "Search " + type + " resources", List.of(), "Bundle");
        get.set("parameters", parameters);
    }

    private static void includes(ArrayNode parameters, String name, List<? extends PrimitiveType<String>> values) {
        if (values.isEmpty()) {
            return;
        }
        ObjectNode p = parameters.addObject();
        p.put("name", name);
        p.put("in", "query");
        p.put("required", false);
        p.put("description", "Adds the referenced resources to the Bundle (search mode include)");
        ObjectNode items = p.putObject("schema").put("type", "array").putObject("items").put("type", "string");
        ArrayNode allowed = items.putArray("enum");
        values.forEach(v -> allowed.add(v.getValue()));
        p.put("explode", true);
    }

    private void resourceOperation(ObjectNode paths, String type, CapabilityStatementRestResourceOperationComponent op) {
        String name = "$" + op.getName();
        OperationDefinition definition = op.hasDefinition() ? operationDefinitions.apply(op.getDefinition()) : null;
        boolean instance = definition == null || definition.getInstance();
        boolean typeLevel = definition != null && definition.getType();
        boolean idempotent = definition == null || !definition.getAffectsState();
        List<ObjectNode> parameters = new java.util.ArrayList<>();
        if (definition != null) {
            for (OperationDefinition.OperationDefinitionParameterComponent p : definition.getParameter()) {
                if (p.getUse() == OperationDefinition.OperationParameterUse.IN) {
                    ObjectNode q = JSON.createObjectNode();
                    q.put("name", p.getName());
                    q.put("in", "query");
                    q.put("required", p.getMin() > 0);
                    q.putObject("schema").put("type", "string");
                    parameters.add(q);
                }
            }
        }
        String summary = definition != null && definition.hasDescription() ? definition.getDescription()
                : "Operation " + name + " on " + type;
        if (instance) {
            List<ObjectNode> withId = new java.util.ArrayList<>();
            withId.add(pathParameter("id"));
            withId.addAll(parameters);
            operation(paths, "/" + type + "/{id}/" + name, idempotent ? "get" : "post", "operation:" + name, summary,
                    withReadParameters(withId), "Bundle");
        }
        if (typeLevel) {
            operation(paths, "/" + type + "/" + name, idempotent ? "get" : "post", "operation:" + name, summary,
                    withReadParameters(parameters), "Bundle");
        }
    }

    private static List<ObjectNode> withReadParameters(List<ObjectNode> parameters) {
        List<ObjectNode> all = new java.util.ArrayList<>(parameters);
        for (String common : READ_RESULT_PARAMETERS) {
            ObjectNode ref = JSON.createObjectNode();
            ref.put("$ref", "#/components/parameters/" + common);
            all.add(ref);
        }
        return all;
    }

    private static ObjectNode operation(ObjectNode paths, String path, String method, String interaction, String summary,
                                        List<ObjectNode> parameters, String resultType) {
        ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
        ObjectNode op = item.putObject(method);
        op.put("summary", summary);
        op.put("x-fhir-interaction", interaction);
        op.put("operationId", (interaction + "-" + path).replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", ""));
        if (!parameters.isEmpty()) {
            ArrayNode array = op.putArray("parameters");
            parameters.forEach(array::add);
        }
        ObjectNode responses = op.putObject("responses");
        responses.set("200", response("Success", resultType));
        responses.set("400", response("Invalid request (OperationOutcome naming the parameter)", "OperationOutcome"));
        if (path.contains("{id}")) {
            responses.set("404", response("Unknown id", "OperationOutcome"));
        }
        return op;
    }

    private static ObjectNode response(String description, String type) {
        ObjectNode response = JSON.createObjectNode();
        response.put("description", description);
        ObjectNode content = response.putObject("content");
        for (String mediaType : List.of(FHIR_JSON, FHIR_XML)) {
            content.putObject(mediaType).putObject("schema").put("$ref", "#/components/schemas/" + type);
        }
        return response;
    }

    private static ObjectNode body(String type) {
        ObjectNode body = JSON.createObjectNode();
        body.put("required", true);
        ObjectNode content = body.putObject("content");
        for (String mediaType : List.of(FHIR_JSON, FHIR_XML)) {
            content.putObject(mediaType).putObject("schema").put("$ref", "#/components/schemas/" + type);
        }
        return body;
    }

    private static ObjectNode pathParameter(String name) {
        ObjectNode p = JSON.createObjectNode();
        p.put("name", name);
        p.put("in", "path");
        p.put("required", true);
        p.putObject("schema").put("type", "string");
        return p;
    }

    private static void commonParameters(ObjectNode parameters) {
        common(parameters, "_count", "integer", "Page size (at most the server's maximum)");
        common(parameters, "_offset", "integer", "Index of the first result (stateless paging)");
        ObjectNode summary = common(parameters, "_summary", "string", "Summary mode; count answers only the total");
        ((ObjectNode) summary.get("schema")).putArray("enum").add("true").add("false").add("text").add("data").add("count");
        common(parameters, "_elements", "string", "Comma-separated elements to return");
        ObjectNode format = common(parameters, "_format", "string", "Response format");
        ((ObjectNode) format.get("schema")).putArray("enum").add("json").add("xml").add(FHIR_JSON).add(FHIR_XML);
        common(parameters, "_pretty", "boolean", "Pretty-print the response");
    }

    private static ObjectNode common(ObjectNode parameters, String name, String type, String description) {
        ObjectNode p = parameters.putObject(name);
        p.put("name", name);
        p.put("in", "query");
        p.put("required", false);
        p.put("description", description);
        p.putObject("schema").put("type", type);
        return p;
    }
}
