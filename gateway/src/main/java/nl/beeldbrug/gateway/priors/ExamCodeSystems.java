package nl.beeldbrug.gateway.priors;

import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.priors.ExamDescription;

/** The exam normaliser's code system of a FHIR coding system (LOINC, SNOMED CT, DICOM; {@code urn:oid:} forms too). */
public final class ExamCodeSystems {

    private ExamCodeSystems() {
    }

    /** The normaliser's system for {@code fhirSystem}: a known name, else the OID of a {@code urn:oid:}, else the value. */
    public static String of(String fhirSystem) {
        return switch (fhirSystem) {
            case "http://loinc.org" -> ExamDescription.LOINC;
            case FhirNaming.SNOMED -> ExamDescription.SNOMED;
            case FhirNaming.DCM -> ExamDescription.DCM;
            default -> fhirSystem.startsWith("urn:oid:") ? fhirSystem.substring("urn:oid:".length()) : fhirSystem;
        };
    }
}
