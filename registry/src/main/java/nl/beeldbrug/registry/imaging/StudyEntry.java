package nl.beeldbrug.registry.imaging;

/**
 * One DocumentEntry as a release point's consent decision sees it: whose it is, which study it belongs to,
 * whether it carries the images (a KOS manifest) or a report, and who holds it.
 *
 * @param entryUuid        the entry's entryUUID
 * @param patientBsn       the patient
 * @param studyInstanceUid the study it belongs to, or null when it names none
 * @param uniqueId         the document's uniqueId
 * @param manifest         true for a KOS manifest (the study's images), false for a report or other document
 * @param authorUra        the URA of its first author institution issued by the URA register, or null
 */
public record StudyEntry(String entryUuid, String patientBsn, String studyInstanceUid, String uniqueId, boolean manifest,
                         String authorUra) {

    /** The study the decision is about: the Study Instance UID, or the document's uniqueId when it names no study. */
    public String studyKey() {
        return studyInstanceUid != null ? studyInstanceUid : uniqueId;
    }
}
