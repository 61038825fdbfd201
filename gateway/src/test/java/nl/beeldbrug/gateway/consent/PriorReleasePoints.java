package nl.beeldbrug.gateway.consent;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import nl.beeldbrug.gateway.cds.CdsCardsOracle;
import nl.beeldbrug.gateway.priors.PriorCheck;
import nl.beeldbrug.gateway.priors.PriorCheckOracle;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.priors.ExamDescription;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The prior-check release points: FHIR {@code ImagingStudy/$prior-check} and the CDS Hooks services (order-select,
 * order-sign). The planned exam is mostly one of the patient's own studies again (modality, body site, sometimes its
 * description) a few days later, so that duplicates — permitted or denied — turn up. The oracle is the prior check
 * itself over only what the decision engine releases ({@link PriorCheckOracle}): the answer must be exactly the
 * answer of a world where the denied studies and reports were never registered — same Bundle entries, ranks,
 * categories, reasons, total and verdict; same cards (summaries, details, links), only their uuids aside.
 */
final class PriorReleasePoints {

    private static final String[][] EXAMS = {{"CT", "51185008"}, {"MR", "72696002"}, {"US", "818983003"}, {"CR", "51185008"},
            {"MG", "76752008"}, {"NM", "272673000"}, {"CT", "69536005"}};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final ImagingStudyIndex index;
    private final PriorCheckOracle priors;
    private final CdsCardsOracle cards;
    private final Map<String, ImagingStudySummary> summaries = new ConcurrentHashMap<>();

    /** @param base the gateway's {@code http://host:port} */
    PriorReleasePoints(String base, ImagingStudyIndex index, PriorCheckOracle priors, CdsCardsOracle cards) {
        this.base = base;
        this.index = index;
        this.priors = priors;
        this.cards = cards;
    }

    List<ReleasePoint> all() {
        return List.of(ReleasePoint.of("prior ImagingStudy/$prior-check", 2, this::priorCheck),
                ReleasePoint.of("cds order-select", 1, (c, name) -> cds(c, name, true)),
                ReleasePoint.of("cds order-sign", 1, (c, name) -> cds(c, name, false)));
    }

    /** A planned exam: modality, SNOMED body site (or null), order text (or null), date (whole seconds). */
    private record Planned(String modality, String bodySite, String text, Instant when) {
        ExamDescription description() {
            List<ExamDescription.Code> codes = new ArrayList<>();
            codes.add(new ExamDescription.Code(ExamDescription.DCM, modality));
            if (bodySite != null) {
                codes.add(new ExamDescription.Code(ExamDescription.SNOMED, bodySite));
            }
            return new ExamDescription(codes, text == null ? "" : text);
        }
    }

    private Planned planned(ReleasePoint.Case c, boolean withText) {
        List<LeakWorld.Study> own = c.oracle().world().studiesOf(c.patient());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (own.isEmpty() || c.random().nextInt(4) == 0) {
            String[] exam = EXAMS[c.random().nextInt(EXAMS.length)];
            return new Planned(exam[0], exam[1], null, now);
        }
        ImagingStudySummary study = summary(own.get(c.random().nextInt(own.size())));
        String modality = study.modalities().isEmpty() ? "CT" : study.modalities().get(0).code();
        String site = study.bodySites().isEmpty() || c.random().nextInt(6) == 0 ? null : study.bodySites().get(0).code();
        String text = withText && c.random().nextInt(3) == 0 ? study.description() : null;
        Instant when = study.started().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(c.random().nextInt(24 * 120)));
        return new Planned(modality, site, text, when.isAfter(now) ? now : when);
    }

    private ImagingStudySummary summary(LeakWorld.Study study) {
        return summaries.computeIfAbsent(study.uid(), uid -> index.read(uid).orElseThrow());
    }

    /** The prior check of the oracle for this case, noting its verdicts on the patient's studies. */
    private PriorCheck expected(ReleasePoint.Case c, String name, ExamDescription exam, Instant when) {
        for (LeakWorld.Study study : c.oracle().world().studiesOf(c.patient())) {
            c.tally().verdict(name, c.oracle().permits(c.requester(), study, DataClass.IMAGING_STUDY));
        }
        LeakWorld world = c.oracle().world();
        return priors.check((uid, dataClass) -> {
            LeakWorld.Study study = world.study(uid);
            return study != null && c.oracle().permits(c.requester(), study, dataClass);
        }, c.patient().value(), exam, when);
    }

    // ------------------------------------------------------------------------------------------------ $prior-check

    private String priorCheck(ReleasePoint.Case c, String name) throws Exception {
        Planned planned = planned(c, true);
        String query = "patient=" + c.patient().value() + "&modality=" + planned.modality()
                + (planned.bodySite() == null ? "" : "&bodysite=" + planned.bodySite())
                + (planned.text() == null ? "" : "&text=" + enc(planned.text())) + "&date=" + enc(planned.when().toString());
        String fhirBase = base + "/fhir";
        PriorCheck check = expected(c, name, planned.description(), planned.when());
        HttpResponse<String> response = send(c, HttpRequest.newBuilder(URI.create(fhirBase + "/ImagingStudy/$prior-check?" + query))
                .header("Accept", "application/fhir+json").GET());
        if (response.statusCode() != 200) {
            return "$prior-check?" + query + ": HTTP " + response.statusCode();
        }
        IParser parser = FhirContext.forR4Cached().newJsonParser();
        String actual = normal(parser.parseResource(Bundle.class, response.body()));
        String expected = normal(parser.parseResource(Bundle.class, parser.encodeResourceToString(priors.bundle(check, fhirBase))));
        return actual.equals(expected) ? null : "$prior-check?" + query + ": answered\n    " + actual
                + "\n  as if the denied studies were absent:\n    " + expected;
    }

    /** The entries and total of a prior-check Bundle; the verdict's random id left out. */
    private static String normal(Bundle bundle) {
        Bundle copy = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(bundle.getTotal());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryComponent e = entry.copy();
            if (e.getResource() instanceof OperationOutcome outcome) {
                outcome.setId((String) null);
                e.setFullUrl(null);
            }
            copy.addEntry(e);
        }
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(copy);
    }

    // ------------------------------------------------------------------------------------------------ CDS Hooks

    private String cds(ReleasePoint.Case c, String name, boolean select) throws Exception {
        int orders = 1 + c.random().nextInt(2);
        Bundle draft = new Bundle().setType(Bundle.BundleType.COLLECTION);
        List<String> selections = new ArrayList<>();
        List<Map<String, Object>> expected = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            Planned planned = planned(c, false);
            ServiceRequest order = new ServiceRequest();
            order.setId("order" + i);
            order.setStatus(ServiceRequest.ServiceRequestStatus.DRAFT).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
            order.setSubject(new Reference("Patient/ehr-1"));
            order.getCode().addCoding().setSystem("http://dicom.nema.org/resources/ontology/DCM").setCode(planned.modality());
            if (planned.bodySite() != null) {
                order.addBodySite().addCoding().setSystem("http://snomed.info/sct").setCode(planned.bodySite());
            }
            order.setOccurrence(new DateTimeType(Date.from(planned.when())));
            draft.addEntry().setResource(order);
            boolean selected = !select || i == 0 || c.random().nextBoolean();
            if (selected) {
                selections.add("ServiceRequest/order" + i);
                PriorCheck check = expected(c, name, CdsCardsOracle.plannedExam(order), CdsCardsOracle.plannedDate(order));
                expected.addAll(cards.cards(check, "ServiceRequest/order" + i));
            }
        }
        ObjectNode call = JSON.createObjectNode();
        call.put("hook", select ? "order-select" : "order-sign");
        call.put("hookInstance", UUID.randomUUID().toString());
        ObjectNode context = call.putObject("context");
        context.put("userId", "Practitioner/1");
        context.put("patientId", "ehr-1");
        context.set("draftOrders", JSON.readTree(FhirContext.forR4Cached().newJsonParser().encodeResourceToString(draft)));
        if (select) {
            ArrayNode selected = context.putArray("selections");
            selections.forEach(selected::add);
        }
        ObjectNode patient = call.putObject("prefetch").putObject("patient");
        patient.put("resourceType", "Patient");
        patient.putArray("identifier").addObject().put("system", "http://fhir.nl/fhir/NamingSystem/bsn")
                .put("value", c.patient().value());
        String service = select ? CdsCardsOracle.SELECT : CdsCardsOracle.SIGN;
        HttpResponse<String> response = send(c, HttpRequest.newBuilder(URI.create(base + "/cds-services/" + service))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call.toString())));
        if (response.statusCode() != 200) {
            return service + ": HTTP " + response.statusCode() + " " + response.body();
        }
        JsonNode actual = withoutUuids(JSON.readTree(response.body()).path("cards"));
        JsonNode wanted = withoutUuids(JSON.valueToTree(expected));
        return actual.equals(wanted) ? null : service + ": cards\n    " + actual + "\n  as if the denied studies were absent:\n    " + wanted;
    }

    private static JsonNode withoutUuids(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("uuid");
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                withoutUuids(it.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(PriorReleasePoints::withoutUuids);
        }
        return node;
    }

    private HttpResponse<String> send(ReleasePoint.Case c, HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", c.requester().authorization()).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
