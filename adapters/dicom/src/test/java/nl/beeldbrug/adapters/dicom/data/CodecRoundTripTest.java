package nl.beeldbrug.adapters.dicom.data;

import nl.beeldbrug.adapters.dicom.testing.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reads the pydicom sample files of every transfer syntax we claim, writes them again and checks with
 * dcmtk's dcmdump that every element (tag, VR, value, nesting) survived.
 */
class CodecRoundTripTest {

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // implicit VR LE (with and without file meta), private sequences
        "MR_small_implicit.dcm, 1.2.840.10008.1.2",
        "rtplan.dcm, 1.2.840.10008.1.2",
        "rtstruct.dcm, 1.2.840.10008.1.2",
        "nested_priv_SQ.dcm, 1.2.840.10008.1.2",
        // explicit VR LE, nested sequences, SR
        "MR_small.dcm, 1.2.840.10008.1.2.1",
        "CT_small.dcm, 1.2.840.10008.1.2.1",
        "test-SR.dcm, 1.2.840.10008.1.2.1",
        "ExplVR_LitEndNoMeta.dcm, 1.2.840.10008.1.2.1",
        "no_meta_group_length.dcm, 1.2.840.10008.1.2",
        // deflated explicit VR LE (read and rewritten deflated)
        "image_dfl.dcm, 1.2.840.10008.1.2.1.99",
        // explicit VR big endian: read, written as explicit LE
        "MR_small_bigendian.dcm, 1.2.840.10008.1.2.2",
        "rtdose_expb.dcm, 1.2.840.10008.1.2.2",
        "ExplVR_BigEndNoMeta.dcm, 1.2.840.10008.1.2.2",
        // encapsulated pixel data passed through; UN sequence with undefined length
        "MR_small_RLE.dcm, 1.2.840.10008.1.2.5",
        "JPEG2000.dcm, 1.2.840.10008.1.2.4.91",
        "SC_rgb_jpeg_dcmtk.dcm, 1.2.840.10008.1.2.4.50",
        "MR_small_jpeg_ls_lossless.dcm, 1.2.840.10008.1.2.4.80",
        "JPGExtended.dcm, 1.2.840.10008.1.2.4.51",
        "UN_sequence.dcm, 1.2.840.10008.1.2.4.70",
        // character sets ISO_IR 192 and ISO_IR 100
        "chrX1.dcm, 1.2.840.10008.1.2.1",
        "chrFren.dcm, 1.2.840.10008.1.2.1"
    })
    void roundTripPreservesEveryElement(String name, String sourceTs) throws Exception {
        Path src = Peers.sample(name);
        DicomFile in = DicomFile.read(src);
        TransferSyntax ts = in.transferSyntax();
        assertThat(ts.uid()).isEqualTo(sourceTs);
        String outTs = ts.writable() ? ts.uid() : TransferSyntax.EXPLICIT_VR_LE.uid();
        Path out = tmp.resolve("out.dcm");
        DicomFile.of(in.dataset(), outTs).write(out);

        assertThat(Peers.normalizedDump(out)).containsExactlyElementsOf(Peers.normalizedDump(src));

        // reading our own output and writing it again gives identical bytes
        DicomFile again = DicomFile.read(out);
        assertThat(again.dataset().getString(Tag.SOPInstanceUID)).isEqualTo(in.dataset().getString(Tag.SOPInstanceUID));
        assertThat(Fixtures.pixelHash(again.dataset())).isEqualTo(Fixtures.pixelHash(in.dataset()));
        Path out2 = tmp.resolve("out2.dcm");
        again.write(out2);
        assertThat(Files.readAllBytes(out2)).isEqualTo(Files.readAllBytes(out));
    }

    @ParameterizedTest
    @CsvSource({"rtstruct.dcm", "test-SR.dcm", "MR_small.dcm", "chrX1.dcm"})
    void implicitAndDefinedLengthEncodingsAreEquivalent(String name) throws Exception {
        Path src = Peers.sample(name);
        DicomFile in = DicomFile.read(src);
        Path implicit = tmp.resolve("ivr.dcm");
        DicomFile.of(in.dataset(), TransferSyntax.IMPLICIT_VR_LE.uid()).write(implicit);
        Path defined = tmp.resolve("defined.dcm");
        try (var os = Files.newOutputStream(defined)) {
            os.write(new byte[128]);
            os.write("DICM".getBytes());
            DicomWriter.writeFileMeta(DicomFile.createFileMeta(in.dataset().getString(Tag.SOPClassUID),
                    in.dataset().getString(Tag.SOPInstanceUID), TransferSyntax.EXPLICIT_VR_LE.uid()), os);
            DicomWriter.write(in.dataset(), TransferSyntax.EXPLICIT_VR_LE, os, true);
        }
        // implicit VR pixel data is always OW (PS3.5 A.1), so dcmdump shows 8-bit pixels as words: compare bytes
        assertThat(withoutPixelData(Peers.normalizedDump(implicit)))
                .containsExactlyElementsOf(withoutPixelData(Peers.normalizedDump(src)));
        assertThat(Fixtures.pixelHash(DicomFile.read(implicit).dataset())).isEqualTo(Fixtures.pixelHash(in.dataset()));
        assertThat(Peers.normalizedDump(defined)).containsExactlyElementsOf(Peers.normalizedDump(src));
    }

    private static java.util.List<String> withoutPixelData(java.util.List<String> dump) {
        return dump.stream().filter(l -> !l.startsWith("(7fe0,0010)")).toList();
    }
}
