package nl.beeldbrug.registry.consent;

import nl.beeldbrug.registry.patient.Bsn;

import java.util.List;

/** Where a patient's local consents come from (the consent store; a list in tests). */
public interface ConsentSource {

    /** Every consent recorded for the patient, in any status (the engine ignores those not active). */
    List<ConsentRecord> consentsOf(Bsn patient);
}
