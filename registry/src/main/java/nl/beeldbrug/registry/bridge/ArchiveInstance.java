package nl.beeldbrug.registry.bridge;

import java.util.Objects;

/**
 * One instance of a study as the archive holds it (from C-FIND IMAGE level, QIDO-RS or a received header).
 *
 * @param bodyPart Body Part Examined (0018,0015) of its series, may be null
 */
public record ArchiveInstance(String seriesInstanceUid, String sopClassUid, String sopInstanceUid, String modality,
                              String bodyPart) {

    /** Key Object Selection Document Storage: manifests and IOCM rejection notes. */
    public static final String KOS = "1.2.840.10008.5.1.4.1.1.88.59";
    /** Encapsulated PDF Storage. */
    public static final String ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.104.1";
    private static final String SR_PREFIX = "1.2.840.10008.5.1.4.1.1.88.";

    public ArchiveInstance {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    }

    /** A key object selection document (a manifest or a rejection note, never an image of the study). */
    public boolean isKeyObject() {
        return KOS.equals(sopClassUid);
    }

    /** A report: a structured report (not a key object) or an encapsulated PDF. */
    public boolean isReport() {
        return ENCAPSULATED_PDF.equals(sopClassUid) || (sopClassUid.startsWith(SR_PREFIX) && !isKeyObject());
    }
}
