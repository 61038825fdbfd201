package nl.beeldbrug.gateway.cds;

import nl.beeldbrug.gateway.priors.ExamCodeSystems;
import nl.beeldbrug.registry.priors.ExamDescription;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ServiceRequest;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What a draft imaging order asks for, read from a FHIR R4 ServiceRequest. */
public final class CdsOrders {

    private CdsOrders() {
    }

    /** The planned exam: the order's code (LOINC, SNOMED CT, DICOM) and text, its body sites, and the order's text. */
    public static ExamDescription plannedExam(ServiceRequest order) {
        List<ExamDescription.Code> codes = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        add(order.getCode(), codes, text);
        for (CodeableConcept site : order.getBodySite()) {
            add(site, codes, text);
        }
        return new ExamDescription(codes, text.toString().trim());
    }

    private static void add(CodeableConcept concept, List<ExamDescription.Code> codes, StringBuilder text) {
        for (Coding coding : concept.getCoding()) {
            if (coding.hasSystem() && coding.hasCode()) {
                codes.add(new ExamDescription.Code(ExamCodeSystems.of(coding.getSystem()), coding.getCode()));
            }
            if (coding.hasDisplay()) {
                text.append(' ').append(coding.getDisplay());
            }
        }
        if (concept.hasText()) {
            text.append(' ').append(concept.getText());
        }
    }

    /** When the exam is planned: occurrence, else authored, else now. */
    public static Instant plannedDate(ServiceRequest order, Clock clock) {
        if (order.hasOccurrenceDateTimeType() && order.getOccurrenceDateTimeType().getValue() != null) {
            return order.getOccurrenceDateTimeType().getValue().toInstant();
        }
        if (order.hasOccurrencePeriod() && order.getOccurrencePeriod().getStart() != null) {
            return order.getOccurrencePeriod().getStart().toInstant();
        }
        if (order.getAuthoredOn() != null) {
            return order.getAuthoredOn().toInstant();
        }
        return clock.instant();
    }
}
