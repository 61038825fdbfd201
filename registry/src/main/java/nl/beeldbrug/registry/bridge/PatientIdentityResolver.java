package nl.beeldbrug.registry.bridge;

/**
 * PACS bridge, patient identity at the edge (issue 8 point 5): finds the BSN of the patient of a study
 * that a connected archive holds under its own (local) patient id.
 *
 * <p>One implementation per strategy of {@code beeldbrug.bridge.sources[].identity.strategy}:
 * {@code HEADER} ({@link HeaderIdentityResolver}: the BSN is in the DICOM header), {@code PIX} (ITI-9 query
 * to the source's patient index) and {@code XREF} (the cross-reference table fed by ITI-8). A study whose
 * BSN cannot be found, or whose BSN fails the elfproef, is not registered: the bridge puts it on the review
 * list with {@link IdentityResolution.Unresolved#reason()}; an {@link IdentityResolution.Reason#UNAVAILABLE}
 * answer (index unreachable) is retried at the next detection instead.
 *
 * <p>Implementations never log the BSN or the patient's identifiers at INFO or above.
 */
public interface PatientIdentityResolver {

    /**
     * @param sourceId the connected archive's {@code id} (configuration), e.g. for the source's local domain
     * @param patient  the patient attributes of the study as the archive holds them
     * @return the BSN, or why there is none
     */
    IdentityResolution resolve(String sourceId, DicomPatient patient);
}
