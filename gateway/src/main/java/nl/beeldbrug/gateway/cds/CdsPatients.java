package nl.beeldbrug.gateway.cds;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.patient.Bsn;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The BSN of the patient a CDS Hooks call is about: from the prefetched {@code Patient}, else from a draft order's
 * {@code subject.identifier}, else by reading {@code Patient/{context.patientId}} from the EHR's {@code fhirServer} —
 * only when that server is on the configured allow list (a CDS client must not make Beeldbrug fetch arbitrary URLs).
 */
public final class CdsPatients {

    private static final Logger log = LoggerFactory.getLogger(CdsPatients.class);

    private final List<String> allowedFhirServers;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public CdsPatients(List<String> allowedFhirServers) {
        this.allowedFhirServers = List.copyOf(allowedFhirServers);
    }

    Optional<String> bsnOf(JsonNode call, List<ServiceRequest> orders) {
        JsonNode prefetched = call.path("prefetch").path("patient");
        if (prefetched.isObject()) {
            try {
                Optional<String> bsn = bsnOf(FhirContext.forR4Cached().newJsonParser().parseResource(Patient.class, prefetched.toString())
                        .getIdentifier());
                if (bsn.isPresent()) {
                    return bsn;
                }
            } catch (RuntimeException e) {
                log.info("CDS prefetch.patient is not a readable Patient: {}", e.getClass().getSimpleName());
            }
        }
        for (ServiceRequest order : orders) {
            Identifier subject = order.getSubject().getIdentifier();
            if (FhirNaming.BSN.equals(subject.getSystem()) && Bsn.isValid(subject.getValue())) {
                return Optional.of(subject.getValue());
            }
        }
        return fromFhirServer(call.path("fhirServer").asText(""), call.path("context").path("patientId").asText(""),
                call.path("fhirAuthorization").path("access_token").asText(""));
    }

    private Optional<String> fromFhirServer(String server, String patientId, String token) {
        if (server.isEmpty() || patientId.isEmpty() || !patientId.matches("[A-Za-z0-9\\-.]{1,64}")
                || allowedFhirServers.stream().noneMatch(server::startsWith)) {
            return Optional.empty();
        }
        try {
            HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(server.replaceAll("/+$", "") + "/Patient/" + patientId))
                    .timeout(Duration.ofSeconds(3)).header("Accept", "application/fhir+json");
            if (!token.isEmpty()) {
                get.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                log.info("CDS: the EHR's FHIR server answered {} for the patient", response.statusCode());
                return Optional.empty();
            }
            return bsnOf(FhirContext.forR4Cached().newJsonParser().parseResource(Patient.class, response.body()).getIdentifier());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.info("CDS: the patient could not be read from the EHR's FHIR server: {}", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static Optional<String> bsnOf(List<Identifier> identifiers) {
        return identifiers.stream().filter(i -> FhirNaming.BSN.equals(i.getSystem()) && Bsn.isValid(i.getValue()))
                .map(Identifier::getValue).findFirst();
    }
}
