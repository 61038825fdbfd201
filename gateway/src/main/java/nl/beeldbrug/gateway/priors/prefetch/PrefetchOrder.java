package nl.beeldbrug.gateway.priors.prefetch;

import nl.beeldbrug.registry.bridge.PatientIdentifier;
import nl.beeldbrug.registry.priors.ExamDescription;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An order that asks for prefetching (issue 5 point 4): who it is for (PID-3: the BSN and/or local ids), which
 * hospital sent it (MSH-4 sending facility), its placer order number (ORC-2, else OBR-2: with the hospital, what makes
 * a repeated order recognisable), the planned exam (OBR-4, body site) and when it is planned.
 */
public record PrefetchOrder(String controlId, String placerOrder, List<PatientIdentifier> patient, String sendingFacility,
                            ExamDescription exam, Instant planned) {

    public PrefetchOrder {
        patient = List.copyOf(patient);
    }

    /** The BSN of PID-3, if the order carries one. */
    public Optional<String> bsn() {
        return patient.stream().filter(PatientIdentifier::isBsn).map(PatientIdentifier::id).findFirst();
    }
}
