package nl.beeldbrug.registry.bridge;

import java.io.IOException;
import java.util.Optional;

/** Fetches the content of a report instance of an archive (the PDF of an encapsulated PDF, or the SR itself). */
public interface ReportContents {

    /** @param mimeType {@code application/pdf} or {@code application/dicom} */
    record ReportContent(byte[] bytes, String mimeType) {
    }

    /** Empty when the archive does not have it (any more). */
    Optional<ReportContent> fetch(BridgeSource source, ArchiveStudy study, ArchiveInstance report) throws IOException;

    ReportContents NONE = (source, study, report) -> Optional.empty();
}
