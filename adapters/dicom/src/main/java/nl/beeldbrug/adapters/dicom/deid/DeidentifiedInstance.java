package nl.beeldbrug.adapters.dicom.deid;

/** What was written: the NEW (replaced) UIDs of the instance, its transfer syntax and the bytes written. */
public record DeidentifiedInstance(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid,
                                   String transferSyntaxUid, long bytesWritten) {
}
