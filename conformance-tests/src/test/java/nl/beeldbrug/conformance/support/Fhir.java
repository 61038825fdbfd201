package nl.beeldbrug.conformance.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The gateway's FHIR R4 face at {@code /fhir}: HAPI's generic client for what a FHIR client does, and
 * raw HTTP for what a client library would not send (bad values, writes, hostile bodies).
 */
public final class Fhir {

    public static final String BSN = "http://fhir.nl/fhir/NamingSystem/bsn";
    public static final String URA = "http://fhir.nl/fhir/NamingSystem/ura";
    public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String DICOM_UID = "urn:dicom:uid";
    public static final String EXT_BODY_SITE = "https://beeldbrug.nl/fhir/StructureDefinition/imagingstudy-bodysite";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Fhir() {
    }

    public static FhirContext context() {
        return FhirContext.forR4Cached();
    }

    /** {@code http://127.0.0.1:<port>/fhir} */
    public static String base(Gateway gateway) {
        return gateway.baseUrl() + "/fhir";
    }

    /** A generic client that does not fetch the CapabilityStatement before its first request. */
    public static IGenericClient client(Gateway gateway) {
        FhirContext context = context();
        context.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        context.getRestfulClientFactory().setSocketTimeout(60_000);
        return context.newRestfulGenericClient(base(gateway));
    }

    /** A raw answer. */
    public record Raw(int status, String contentType, String body, HttpResponse<String> response) {

        /** The body as an OperationOutcome (JSON or XML, by its content type). */
        public OperationOutcome outcome() {
            return contentType.contains("xml")
                    ? context().newXmlParser().parseResource(OperationOutcome.class, body)
                    : context().newJsonParser().parseResource(OperationOutcome.class, body);
        }

        /** The diagnostics of all issues, joined. */
        public String diagnostics() {
            return String.join(" | ", outcome().getIssue().stream().map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList());
        }
    }

    /** GET {@code /fhir/<pathAndQuery>} (query already encoded), asking for JSON. */
    public static Raw get(Gateway gateway, String pathAndQuery) {
        return send(gateway, "GET", pathAndQuery, null, null);
    }

    /** Any method with an optional body to {@code /fhir/<pathAndQuery>}; Accept: JSON. */
    public static Raw send(Gateway gateway, String method, String pathAndQuery, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base(gateway) + "/" + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/fhir+json");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Raw(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
