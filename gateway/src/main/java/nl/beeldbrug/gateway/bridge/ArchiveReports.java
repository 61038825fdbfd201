package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.registry.bridge.ArchiveInstance;
import nl.beeldbrug.registry.bridge.ArchiveStudy;
import nl.beeldbrug.registry.bridge.BridgeSource;
import nl.beeldbrug.registry.bridge.ReportContents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The content of a report instance: a pushed one from the spool, a polled one from the archive (WADO-RS or
 * C-GET). An encapsulated PDF gives its PDF; an SR is registered as the DICOM object itself.
 */
final class ArchiveReports implements ReportContents {

    private final Map<String, ArchiveConnector> archives;
    private final Path pushed;

    ArchiveReports(Map<String, ArchiveConnector> archives, Path pushed) {
        this.archives = archives;
        this.pushed = pushed;
    }

    @Override
    public Optional<ReportContent> fetch(BridgeSource source, ArchiveStudy study, ArchiveInstance report) throws IOException {
        Path file = pushed.resolve(source.id()).resolve(report.sopInstanceUid() + ".dcm");
        Optional<Attributes> ds;
        if (Files.isRegularFile(file)) {
            ds = Optional.of(DicomFile.read(file).dataset());
        } else if (archives.containsKey(source.id())) {
            ds = archives.get(source.id()).instance(study.studyInstanceUid(), report.seriesInstanceUid(), report.sopInstanceUid());
        } else {
            ds = Optional.empty();
        }
        if (ds.isEmpty()) {
            return Optional.empty();
        }
        if (ArchiveInstance.ENCAPSULATED_PDF.equals(report.sopClassUid())) {
            byte[] pdf = ds.get().getBytes(Tag.EncapsulatedDocument);
            if (pdf == null) {
                return Optional.empty();
            }
            int length = pdf.length;
            while (length > 0 && pdf[length - 1] == 0) { // padding to even length
                length--;
            }
            return Optional.of(new ReportContent(java.util.Arrays.copyOf(pdf, length), "application/pdf"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomFile.of(ds.get(), nl.beeldbrug.adapters.dicom.dict.UID.ExplicitVRLittleEndian).write(out);
        return Optional.of(new ReportContent(out.toByteArray(), "application/dicom"));
    }
}
