package nl.beeldbrug.registry.consent;

import nl.beeldbrug.registry.patient.Bsn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A patient's consent (FHIR R4 Consent, scope patient-privacy): its provisions, and whether it is in force.
 *
 * @param id         logical id (FHIR Consent.id)
 * @param patient    whose consent (Consent.patient, by BSN)
 * @param status     only {@link ConsentStatus#ACTIVE} consents are decided on
 * @param dateTime   when it was given (Consent.dateTime)
 * @param provisions its rules; order carries no meaning
 */
public record ConsentRecord(String id, Bsn patient, ConsentStatus status, Instant dateTime, List<Provision> provisions) {

    public ConsentRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(dateTime, "dateTime");
        provisions = List.copyOf(provisions);
        if (provisions.isEmpty()) {
            throw new IllegalArgumentException("a consent has at least one provision");
        }
    }

    public ConsentRecord withStatus(ConsentStatus newStatus) {
        return new ConsentRecord(id, patient, newStatus, dateTime, provisions);
    }
}
