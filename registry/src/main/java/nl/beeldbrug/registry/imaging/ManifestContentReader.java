package nl.beeldbrug.registry.imaging;

import java.util.Optional;

/**
 * Port: reads a KOS manifest's bytes (DICOM Part 10) at registration (ITI-41, RAD-68), so that the
 * imaging study index knows the study's number of series and instances. Implemented outside the
 * registry (the gateway, with adapters/dicom's KOS parser). Must be pure and must not throw: bytes it
 * cannot read give empty (the counts stay unknown; the document is registered as before).
 */
@FunctionalInterface
public interface ManifestContentReader {

    /** Reads nothing: every count stays unknown. */
    ManifestContentReader NONE = (bytes, studyInstanceUid) -> Optional.empty();

    /**
     * @param manifest        the document's bytes
     * @param studyInstanceUid the study of the DocumentEntry (referenceIdList), or null: only the
     *                        references to that study are counted when given
     */
    Optional<ManifestContents> read(byte[] manifest, String studyInstanceUid);
}
