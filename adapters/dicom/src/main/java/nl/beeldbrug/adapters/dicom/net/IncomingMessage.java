package nl.beeldbrug.adapters.dicom.net;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomReader;
import nl.beeldbrug.adapters.dicom.data.DicomWriter;
import nl.beeldbrug.adapters.dicom.data.ParseLimits;
import nl.beeldbrug.adapters.dicom.data.TransferSyntax;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;

/**
 * A DIMSE message being received: its command, and its data set either streamed into a PS3.10 file (C-STORE)
 * or collected in memory up to a bound (identifiers). Overflow or write failures are remembered, never thrown,
 * so the rest of the message is consumed and a failure status can be answered.
 */
final class IncomingMessage {
    final int pcid;
    final Attributes command;
    final String transferSyntax;
    private OutputStream out;
    private ByteArrayOutputStream memory;
    private Path file;
    private long size;
    private String failure;
    private long maxFileBytes = Long.MAX_VALUE;

    IncomingMessage(int pcid, Attributes command, String transferSyntax) {
        this.pcid = pcid;
        this.command = command;
        this.transferSyntax = transferSyntax;
    }

    /** Streams the data set to a new file in {@code dir}, preceded by preamble and file meta. */
    void toFile(Path dir, String callingAe, long maxBytes) {
        this.maxFileBytes = maxBytes;
        try {
            Files.createDirectories(dir);
            file = Files.createTempFile(dir, "rcv", ".dcm");
            out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            out.write(new byte[128]);
            out.write(new byte[] {'D', 'I', 'C', 'M'});
            Attributes meta = DicomFile.createFileMeta(command.getString(Tag.AffectedSOPClassUID),
                    command.getString(Tag.AffectedSOPInstanceUID), transferSyntax);
            meta.setString(Tag.SourceApplicationEntityTitle, callingAe);
            DicomWriter.writeFileMeta(meta, out);
        } catch (IOException e) {
            fail("cannot write received instance: " + e.getMessage());
        }
    }

    void toMemory() {
        memory = new ByteArrayOutputStream();
        out = memory;
    }

    void append(byte[] b, int off, int len) {
        if (failure != null || out == null) {
            return;
        }
        size += len;
        if (memory != null && size > ParseLimits.QUERY.maxTotalBytes()) {
            fail("data set larger than " + ParseLimits.QUERY.maxTotalBytes() + " bytes");
            return;
        }
        if (file != null && size > maxFileBytes) {
            fail("instance larger than " + maxFileBytes + " bytes");
            Association.deleteQuietly(file);
            return;
        }
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            fail("cannot write received instance: " + e.getMessage());
        }
    }

    /** Closes the sink; returns the file (C-STORE) or null. */
    Path complete() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                fail("cannot write received instance: " + e.getMessage());
            }
        }
        return file;
    }

    Path file() {
        return file;
    }

    String failure() {
        return failure;
    }

    /** Parses an in-memory data set (bounded); throws DicomParseException when malformed. */
    Attributes dataset() throws IOException {
        if (memory == null) {
            return null;
        }
        DicomReader r = new DicomReader(new ByteArrayInputStream(memory.toByteArray()),
                TransferSyntax.of(transferSyntax), ParseLimits.QUERY);
        return r.readDataset();
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // already failing
        }
        out = null;
        memory = null;
    }
}
