package nl.beeldbrug.adapters.dicom.deid;

/** What the caller supplies per patient and platform. */
public interface DeidentificationKeys {
    /** Becomes PatientID and PatientName (DICOM LO/PN, at most 64 characters). */
    String patientPseudonym();

    /** Days added to every date kept by the Modified Dates option (may be negative). */
    int dateShiftDays();

    /** Consistent replacement UID (at most 64 characters) for {@code originalUid}. */
    String uid(String originalUid);
}
