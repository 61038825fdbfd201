package nl.beeldbrug.adapters.dicom.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A large value left in a file (the source file or a spool file) instead of memory.
 *
 * @param file     the file holding the bytes
 * @param offset   position of the first byte
 * @param length   number of bytes
 * @param swapSize byte swap unit to apply when copying (big endian source), 0 for none
 */
public record BulkData(Path file, long offset, long length, int swapSize) {

    /** Copies the value (little endian) to {@code out}, streaming. */
    public void copyTo(OutputStream out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(offset);
            InputStream in = Channels.newInputStream(ch);
            byte[] buf = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int n = in.readNBytes(buf, 0, (int) Math.min(buf.length, left));
                if (n <= 0) {
                    throw new DicomParseException("bulk data truncated in " + file.getFileName());
                }
                if (swapSize > 1) {
                    ByteSwap.swap(buf, 0, n, swapSize);
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
    }
}
