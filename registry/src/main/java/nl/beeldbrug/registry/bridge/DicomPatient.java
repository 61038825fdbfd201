package nl.beeldbrug.registry.bridge;

import java.util.List;
import java.util.Objects;

/**
 * The patient identifiers of a study as an archive holds them: Patient ID (0010,0020), Issuer of Patient ID
 * (0010,0021) and the items of Other Patient IDs Sequence (0010,1002). {@code toString()} names no identifier.
 *
 * @param patientId         Patient ID; may be null or empty
 * @param issuerOfPatientId Issuer of Patient ID (an OID for the BSN: {@link nl.beeldbrug.registry.patient.Bsn#OID}); may be null
 * @param otherPatientIds   the Other Patient IDs Sequence items, in order; never null
 */
public record DicomPatient(String patientId, String issuerOfPatientId, List<OtherPatientId> otherPatientIds) {

    public DicomPatient {
        otherPatientIds = List.copyOf(Objects.requireNonNullElse(otherPatientIds, List.of()));
    }

    public static DicomPatient of(String patientId, String issuerOfPatientId) {
        return new DicomPatient(patientId, issuerOfPatientId, List.of());
    }

    /** One item of Other Patient IDs Sequence: Patient ID and Issuer of Patient ID within the item. */
    public record OtherPatientId(String patientId, String issuerOfPatientId) {
        @Override
        public String toString() {
            return "OtherPatientId[issuer=" + issuerOfPatientId + "]";
        }
    }

    @Override
    public String toString() {
        return "DicomPatient[issuer=" + issuerOfPatientId + ", others=" + otherPatientIds.size() + "]";
    }
}
