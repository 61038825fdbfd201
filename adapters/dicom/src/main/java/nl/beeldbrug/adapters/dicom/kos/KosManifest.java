package nl.beeldbrug.adapters.dicom.kos;

import java.util.List;

/**
 * The content of an XDS-I imaging manifest (IHE RAD TF-3 4.68.4.1.2.2: a Key Object Selection document titled
 * (113030, DCM, "Manifest")) that matters for exchange: patient, study and every referenced instance.
 */
public record KosManifest(String sopInstanceUid, String patientId, String issuerOfPatientId, String patientName,
                          String studyInstanceUid, String accessionNumber, List<InstanceReference> references) {
}
