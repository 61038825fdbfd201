package nl.beeldbrug.gateway.fhir;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * A patient of the affinity domain as FHIR Patient: id and identifier are the BSN. The registry holds
 * no demographics of its own (the sources' are theirs), so the resource carries only the identifier. Pure.
 */
public final class PatientMapper {

    public Patient toPatient(String bsn) {
        Patient patient = new Patient();
        patient.setId(bsn);
        patient.addIdentifier(identifier(bsn));
        return patient;
    }

    static Identifier identifier(String bsn) {
        return new Identifier().setSystem(FhirNaming.BSN).setValue(bsn);
    }

    /** A reference to the patient, literal (Patient/bsn) and logical (the BSN identifier). */
    static Reference reference(String bsn) {
        return new Reference("Patient/" + bsn).setIdentifier(identifier(bsn));
    }
}
