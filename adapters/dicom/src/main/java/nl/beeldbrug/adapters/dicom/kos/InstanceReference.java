package nl.beeldbrug.adapters.dicom.kos;

/** One referenced instance of a manifest, with where to retrieve it. */
public record InstanceReference(String studyInstanceUid, String seriesInstanceUid, String sopClassUid,
                                String sopInstanceUid, String retrieveAeTitle, String retrieveLocationUid) {
}
