package nl.beeldbrug.adapters.dicom.file;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomParseException;
import nl.beeldbrug.adapters.dicom.data.DicomReader;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.ParseLimits;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;

/**
 * A PS3.10 file: 128-byte preamble, "DICM", file meta information (group 0002) and the data set. Files
 * without preamble/meta (raw data sets) are read too, guessing the transfer syntax from the first element.
 */
public record DicomFile(Attributes fileMeta, Attributes dataset) {

    public static final String IMPLEMENTATION_CLASS_UID = "2.25.147682476246709721412750609140551412752";
    public static final String IMPLEMENTATION_VERSION = "BEELDBRUG_01";
    /** Upper bound on the inflated size of a Deflated Explicit VR Little Endian data set. */
    public static final long MAX_INFLATED_BYTES = 256L << 20;

    public TransferSyntax transferSyntax() {
        return TransferSyntax.of(fileMeta.getString(Tag.TransferSyntaxUID, TransferSyntax.EXPLICIT_VR_LE.uid()));
    }

    /** Reads a file; values of 1 MiB and more stay in the file (or a spool file when deflated). */
    public static DicomFile read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            return read(in, file, file.toAbsolutePath().getParent(), ParseLimits.FILES, true);
        }
    }

    /** Reads from a stream, spooling large values to {@code spoolDir}. */
    public static DicomFile read(InputStream stream, Path spoolDir) throws IOException {
        return read(stream, spoolDir, true);
    }

    /**
     * As {@link #read(InputStream, Path)}; with {@code deleteSpoolOnExit} false the spool files are not registered
     * for deletion at JVM exit, because the caller deletes them (and the JVM would keep their names until exit).
     */
    public static DicomFile read(InputStream stream, Path spoolDir, boolean deleteSpoolOnExit) throws IOException {
        return read(new BufferedInputStream(stream, 64 * 1024), null, spoolDir, ParseLimits.FILES, deleteSpoolOnExit);
    }

    private static DicomFile read(InputStream in, Path source, Path spoolDir, ParseLimits limits,
                                  boolean deleteSpoolOnExit) throws IOException {
        in.mark(140);
        byte[] head = in.readNBytes(132);
        Attributes meta;
        TransferSyntax ts;
        DicomReader r;
        if (head.length == 132 && "DICM".equals(new String(head, 128, 4, StandardCharsets.US_ASCII))) {
            r = new DicomReader(in, TransferSyntax.EXPLICIT_VR_LE, limits);
            skipCounted(r, 132);
            meta = r.readFileMeta();
            String tsUid = meta.getString(Tag.TransferSyntaxUID);
            ts = tsUid == null ? guess(in) : TransferSyntax.of(tsUid);
            if (ts.explicitVr() && !ts.deflated() && !ts.bigEndian() && guess(in) == TransferSyntax.IMPLICIT_VR_LE) {
                ts = TransferSyntax.IMPLICIT_VR_LE; // meta claims explicit VR, data set is implicit (seen in the wild)
            }
        } else {
            in.reset();
            ts = guess(in);
            r = new DicomReader(in, TransferSyntax.EXPLICIT_VR_LE, limits);
            meta = new Attributes();
            meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        }
        if (ts.deflated()) {
            // a few kB of deflate can expand to gigabytes: inflate into memory only, within a total bound,
            // never into spool files (deflated syntax carries SR and small objects in practice)
            r.limits(new ParseLimits(limits.maxDepth(), limits.maxInMemoryValue(), Integer.MAX_VALUE,
                    Math.min(limits.maxTotalBytes(), MAX_INFLATED_BYTES), limits.maxElements(), false));
        } else {
            if (source != null) {
                r.referenceBulkDataIn(source);
            }
            if (spoolDir != null) {
                r.spoolBulkDataTo(spoolDir, deleteSpoolOnExit);
            }
        }
        r = reader(r, ts);
        Attributes ds = r.readDataset();
        if (meta.getString(Tag.TransferSyntaxUID) == null) {
            meta.setString(Tag.TransferSyntaxUID, VR.UI, ts.uid());
        }
        return new DicomFile(meta, ds);
    }

    private static DicomReader reader(DicomReader r, TransferSyntax ts) {
        r.switchTransferSyntax(ts);
        return r;
    }

    private static void skipCounted(DicomReader r, int n) {
        r.startAt(n);
    }

    /** Guesses the encoding of a data set without meta information from its first element header. */
    static TransferSyntax guess(InputStream in) throws IOException {
        in.mark(8);
        byte[] b = in.readNBytes(8);
        in.reset();
        if (b.length < 8) {
            return TransferSyntax.EXPLICIT_VR_LE;
        }
        boolean letters = Character.isUpperCase(b[4]) && Character.isUpperCase(b[5]);
        if (!letters) {
            return TransferSyntax.IMPLICIT_VR_LE;
        }
        boolean bigEndian = b[0] == 0 && b[1] != 0;
        return bigEndian ? TransferSyntax.EXPLICIT_VR_BE : TransferSyntax.EXPLICIT_VR_LE;
    }

    /** Writes this file (preamble, meta with group length, data set in the meta's transfer syntax). */
    public void write(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
            write(out);
        }
    }

    public void write(OutputStream out) throws IOException {
        out.write(new byte[128]);
        out.write("DICM".getBytes(StandardCharsets.US_ASCII));
        DicomWriter.writeFileMeta(fileMeta, out);
        DicomWriter.write(dataset, transferSyntax(), out);
        out.flush();
    }

    /** File meta information for a new file (PS3.10 7.1). */
    public static Attributes createFileMeta(String sopClassUid, String sopInstanceUid, String transferSyntaxUid) {
        Attributes m = new Attributes();
        m.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        m.setString(Tag.MediaStorageSOPClassUID, VR.UI, sopClassUid);
        m.setString(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstanceUid);
        m.setString(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUid);
        m.setString(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        m.setString(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION);
        return m;
    }

    /** A file for a data set, re-encoded in {@code ts}. */
    public static DicomFile of(Attributes dataset, String transferSyntaxUid) {
        return new DicomFile(createFileMeta(dataset.getString(Tag.SOPClassUID), dataset.getString(Tag.SOPInstanceUID),
                transferSyntaxUid), dataset);
    }
}
