package nl.beeldbrug.registry.bridge;

/** Encodes the XDS-I KOS manifest of a study (DICOM Part 10); implemented with adapters/dicom. */
public interface ManifestEncoder {

    /** An encoded manifest: its SOP Instance UID (the document's uniqueId) and its bytes. */
    record EncodedManifest(String sopInstanceUid, byte[] bytes) {
    }

    /** A manifest listing exactly {@link ArchiveStudy#manifestInstances()}, retrievable through {@code source}. */
    EncodedManifest encode(BridgeSource source, ArchiveStudy study);
}
