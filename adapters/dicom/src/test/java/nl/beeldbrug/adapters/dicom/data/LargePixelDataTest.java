package nl.beeldbrug.adapters.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pixel data larger than the in-memory limit is written and read as bulk data, never loaded. */
class LargePixelDataTest {
    @TempDir
    Path tmp;

    @Test
    void pixelDataAboveTheInMemoryLimitIsStreamed() throws Exception {
        long size = (ParseLimits.FILES.maxInMemoryValue() + 4L * 1024 * 1024) & ~1L; // 68 MiB
        Path raw = tmp.resolve("raw.bin");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(size);
            f.seek(size / 2);
            f.write(new byte[] {1, 2, 3, 4});
        }
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.5");
        ds.setInt(Tag.Rows, VR.US, 4096);
        ds.setInt(Tag.Columns, VR.US, (int) (size / 2 / 4096));
        ds.setInt(Tag.BitsAllocated, VR.US, 16);
        ds.put(Tag.PixelData, VR.OW, new BulkData(raw, 0, size, 0));
        Path file = tmp.resolve("big.dcm");
        DicomFile.of(ds, UID.ExplicitVRLittleEndian).write(file);

        DicomFile read = DicomFile.read(file);
        Element px = read.dataset().get(Tag.PixelData);
        assertThat(px.value()).isInstanceOf(BulkData.class);
        assertThat(((BulkData) px.value()).file()).isEqualTo(file);
        assertThat(px.valueLength()).isEqualTo(size);
        assertThat(sha(read.dataset())).isEqualTo(sha(ds));
        // dcmtk reads our file and finds the same pixel data length
        String dump = Peers.run(Peers.require("dcmdump", "dcmtk"), "-q", "+P", "7fe0,0010", file.toString());
        assertThat(dump).contains("# " + size + ",");
    }

    @Test
    void aDeflateBombIsRejectedWithoutFillingMemoryOrDisk() throws Exception {
        long size = 200L << 20; // 200 MiB of zeros deflate to ~200 kB
        Path raw = tmp.resolve("zeros.bin");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(size);
        }
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.6");
        ds.put(Tag.PixelData, VR.OB, new BulkData(raw, 0, size, 0));
        Path bomb = tmp.resolve("bomb.dcm");
        DicomFile.of(ds, UID.DeflatedExplicitVRLittleEndian).write(bomb);
        assertThat(Files.size(bomb)).isLessThan(2L << 20);
        Files.delete(raw);
        long before;
        try (var s = Files.list(tmp)) {
            before = s.count();
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DicomFile.read(bomb))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("exceeds limit");
        try (var s = Files.list(tmp)) {
            assertThat(s.count()).as("no spool files left behind").isEqualTo(before);
        }
    }

    private static String sha(Attributes ds) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
            ((BulkData) ds.get(Tag.PixelData).value()).copyTo(out);
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }
}
