package nl.beeldbrug.gateway.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.priors.PriorCheck;
import nl.beeldbrug.gateway.priors.PriorCheckService;
import nl.beeldbrug.gateway.priors.PriorsProperties;
import nl.beeldbrug.gateway.fhir.FhirProperties;
import nl.beeldbrug.gateway.security.Requesters;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CDS Hooks 1.x services (issue 5): discovery at {@code /cds-services}; {@code beeldbrug-prior-check-select}
 * ({@code order-select}: the selected draft orders) and {@code beeldbrug-prior-check-sign} ({@code order-sign}: every
 * draft order) read the draft {@code ServiceRequest}s of {@code context.draftOrders}, find the patient's BSN (prefetched
 * Patient, the order's subject identifier, or the EHR's FHIR server) and answer with cards from the prior check;
 * {@code …/feedback} counts accepted and overridden cards and orders cancelled after a duplicate card.
 */
@RestController
public class CdsHooksController {

    private static final Logger log = LoggerFactory.getLogger(CdsHooksController.class);
    static final String SELECT = "beeldbrug-prior-check-select";
    static final String SIGN = "beeldbrug-prior-check-sign";

    private final PriorCheckService priors;
    private final Requesters requesters;
    private final CdsPatients patients;
    private final CdsCards cards;
    private final CdsAudit audit;
    private final CancelSuggestions cancelSuggestions = new CancelSuggestions(100_000);
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final Counter cardsAccepted;
    private final Counter cardsOverridden;
    private final Counter ordersCancelled;

    public CdsHooksController(PriorCheckService priors, Requesters requesters, CdsPatients patients, CdsAudit audit,
                              CdsProperties cds, FhirProperties fhir, PriorsProperties priorsProperties, MeterRegistry meters,
                              Clock clock) {
        this.priors = priors;
        this.requesters = requesters;
        this.patients = patients;
        this.cards = new CdsCards(cds.fhirBaseUrl(), fhir.wadoBaseUrl(), priorsProperties.cardPriors());
        this.audit = audit;
        this.clock = clock;
        this.cardsAccepted = Counter.builder("beeldbrug.cds.cards.accepted").register(meters);
        this.cardsOverridden = Counter.builder("beeldbrug.cds.cards.overridden").register(meters);
        this.ordersCancelled = Counter.builder("beeldbrug.cds.orders.cancelled")
                .description("Draft orders cancelled after a duplicate card (reported by CDS Hooks feedback)").register(meters);
    }

    @GetMapping(path = "/cds-services", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> discovery() {
        return Map.of("services", List.of(service("order-select", SELECT, "Beeldbrug prior studies (order-select)"),
                service("order-sign", SIGN, "Beeldbrug duplicate-exam check (order-sign)")));
    }

    private static Map<String, Object> service(String hook, String id, String title) {
        Map<String, Object> service = new LinkedHashMap<>();
        service.put("hook", hook);
        service.put("id", id);
        service.put("title", title);
        service.put("description", "Finds the patient's prior imaging in the national index (Beeldbrug) for the draft imaging "
                + "orders: warns about a likely duplicate exam and lists the most relevant priors.");
        service.put("prefetch", Map.of("patient", "Patient/{{context.patientId}}"));
        return service;
    }

    @PostMapping(path = "/cds-services/{id}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> call(@PathVariable String id, @RequestBody String body, HttpServletRequest request) {
        if (!SELECT.equals(id) && !SIGN.equals(id)) {
            return error(404, "no CDS service " + id);
        }
        JsonNode call;
        try {
            call = json.readTree(body);
        } catch (Exception e) {
            return error(400, "the request is not JSON");
        }
        String hook = call.path("hook").asText("");
        String expected = SELECT.equals(id) ? "order-select" : "order-sign";
        if (!expected.equals(hook)) {
            return error(400, "service " + id + " answers the hook " + expected + ", not '" + hook + "'");
        }
        if (!call.hasNonNull("hookInstance") || !call.path("context").isObject()) {
            return error(400, "hookInstance and context are required");
        }
        JsonNode context = call.path("context");
        List<ServiceRequest> orders;
        try {
            orders = draftOrders(context, SELECT.equals(id));
        } catch (DataFormatException | IllegalArgumentException e) {
            return error(400, "context.draftOrders: " + e.getMessage());
        }
        Optional<String> bsn = patients.bsnOf(call, orders);
        List<Map<String, Object>> result = new ArrayList<>();
        ReleaseLog releaseLog = ReleaseLog.of(request);
        if (bsn.isPresent()) {
            for (ServiceRequest order : orders) {
                PriorCheck check = priors.check(requesters.of(request), releaseLog, bsn.get(), CdsOrders.plannedExam(order),
                        CdsOrders.plannedDate(order, clock));
                String orderId = order.getIdElement().hasIdPart() ? "ServiceRequest/" + order.getIdElement().getIdPart() : null;
                result.addAll(cards.cards(check, orderId, cancelSuggestions::issued));
            }
        }
        audit.called(hook, bsn.map(Set::of).orElse(Set.of()), request);
        log.info("CDS {}: {} draft orders, {} cards", hook, orders.size(), result.size());
        return ResponseEntity.ok(Map.of("cards", result));
    }

    @PostMapping(path = "/cds-services/{id}/feedback", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> feedback(@PathVariable String id, @RequestBody String body) {
        if (!SELECT.equals(id) && !SIGN.equals(id)) {
            return error(404, "no CDS service " + id);
        }
        JsonNode feedback;
        try {
            feedback = json.readTree(body).path("feedback");
        } catch (Exception e) {
            return error(400, "the request is not JSON");
        }
        if (!feedback.isArray()) {
            return error(400, "feedback: an array is required");
        }
        for (JsonNode item : feedback) {
            String outcome = item.path("outcome").asText("");
            if ("accepted".equals(outcome)) {
                cardsAccepted.increment();
                for (JsonNode accepted : item.path("acceptedSuggestions")) {
                    if (cancelSuggestions.accepted(accepted.path("id").asText(""))) {
                        ordersCancelled.increment();
                    }
                }
            } else if ("overridden".equals(outcome)) {
                cardsOverridden.increment();
            } else {
                return error(400, "feedback.outcome: accepted or overridden");
            }
        }
        return ResponseEntity.ok(Map.of());
    }

    private static List<ServiceRequest> draftOrders(JsonNode context, boolean selectedOnly) {
        JsonNode draft = context.path("draftOrders");
        if (!draft.isObject()) {
            throw new IllegalArgumentException("a Bundle of draft orders is required");
        }
        Bundle bundle = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, draft.toString());
        Set<String> selections = new java.util.HashSet<>();
        context.path("selections").forEach(s -> selections.add(s.asText()));
        List<ServiceRequest> orders = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof ServiceRequest order) {
                String reference = "ServiceRequest/" + order.getIdElement().getIdPart();
                if (!selectedOnly || selections.contains(reference)) {
                    orders.add(order);
                }
            }
        }
        return orders;
    }

    private static ResponseEntity<Map<String, Object>> error(int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
    }
}
