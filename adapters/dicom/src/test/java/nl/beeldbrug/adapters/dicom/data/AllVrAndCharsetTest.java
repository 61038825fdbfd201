package nl.beeldbrug.adapters.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import nl.beeldbrug.adapters.dicom.dict.ElementDictionary;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllVrAndCharsetTest {
    @TempDir
    Path tmp;

    /** One standard tag per VR, taken from the generated dictionary. */
    private static Map<VR, Integer> tagPerVr() throws Exception {
        Map<VR, Integer> m = new EnumMap<>(VR.class);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ElementDictionary.class.getResourceAsStream("elements.tsv"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t");
                if (line.startsWith("#") || f[0].contains("x") || f[0].startsWith("0000") || f[0].startsWith("0002")
                        || f[0].startsWith("FFFE") || f[0].equals("7FE00010") || "Y".equals(f[4])) {
                    continue;
                }
                m.putIfAbsent(VR.valueOf(f[1]), Integer.parseUnsignedInt(f[0], 16));
            }
        }
        return m;
    }

    private static byte[] value(VR vr) {
        return switch (vr) {
            case AE -> "STORESCP".getBytes();
            case AS -> "042Y".getBytes();
            case CS -> "ORIGINAL".getBytes();
            case DA -> "20260301".getBytes();
            case DS -> "1.5\\-2".getBytes();
            case DT -> "20260301101530".getBytes();
            case IS -> "42".getBytes();
            case TM -> "101530.5".getBytes();
            case UI -> "1.2.840.10008.1.2".getBytes();
            case UR -> "https://beeldbrug.example/x".getBytes();
            case LO, LT, PN, SH, ST, UC, UT -> "Jansen^Piet".getBytes();
            case AT -> new byte[] {0x10, 0x00, 0x20, 0x00};
            case SS, US -> new byte[] {1, 0, 2, 0};
            case SL, UL, FL, OF, OL -> new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
            case FD, OD, OV, SV, UV -> new byte[] {1, 2, 3, 4, 5, 6, 7, 8};
            case OB, UN -> new byte[] {1, 2, 3};
            case OW -> new byte[] {1, 2, 3, 4};
            default -> throw new IllegalArgumentException(vr.name());
        };
    }

    @Test
    void everyVrSurvivesExplicitAndImplicitEncodingAndDcmtkReadsIt() throws Exception {
        Map<VR, Integer> tags = tagPerVr();
        Attributes ds = new Attributes();
        ds.setString(Tag.SOPClassUID, VR.UI, UID.SecondaryCaptureImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "2.25.42");
        for (VR vr : VR.values()) {
            if (vr == VR.NONE || vr == VR.SQ) {
                continue;
            }
            assertThat(tags).as("a dictionary tag with VR " + vr).containsKey(vr);
            ds.put(tags.get(vr), vr, value(vr));
        }
        Attributes item = ds.newSequence(tags.get(VR.SQ)).addItem();
        item.setString(Tag.CodeValue, VR.SH, "113030");
        for (TransferSyntax ts : new TransferSyntax[] {TransferSyntax.EXPLICIT_VR_LE, TransferSyntax.IMPLICIT_VR_LE,
            TransferSyntax.DEFLATED_EXPLICIT_VR_LE}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            DicomWriter.write(ds, ts, out);
            Attributes back = new DicomReader(new ByteArrayInputStream(out.toByteArray()), ts, ParseLimits.QUERY)
                    .readDataset();
            for (Element e : ds.elements()) {
                Element b = back.get(e.tag());
                assertThat(b).as(Element.tagString(e.tag())).isNotNull();
                if (e.value() instanceof byte[] v) {
                    byte[] expected = (v.length & 1) == 0 ? v : java.util.Arrays.copyOf(v, v.length + 1);
                    if ((v.length & 1) != 0 && e.vr().padding() != 0) {
                        expected[v.length] = e.vr().padding();
                    }
                    assertThat((byte[]) b.value()).as(e.vr() + " in " + ts.uid()).isEqualTo(expected);
                    if (ts.explicitVr()) {
                        assertThat(b.vr()).isEqualTo(e.vr());
                    }
                }
            }
            assertThat(back.getNestedItem(tags.get(VR.SQ)).getString(Tag.CodeValue)).isEqualTo("113030");
            Path f = tmp.resolve("allvr-" + ts.uid() + ".dcm");
            DicomFile.of(ds, ts.uid()).write(f);
            String dump = Peers.run(Peers.require("dcmdump", "dcmtk"), "-q", f.toString());
            if (ts.explicitVr()) {
                for (VR vr : tags.keySet()) {
                    assertThat(dump).as("dcmdump shows " + vr).contains(") " + vr.name() + " ");
                }
            }
        }
    }

    @Test
    void textIsEncodedWithTheSpecificCharacterSetAndItemsInheritIt() {
        Attributes utf8 = new Attributes();
        utf8.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        utf8.setString(Tag.PatientName, VR.PN, "Ærøskøbing^Jan=王^小東");
        assertThat(utf8.getBytes(Tag.PatientName)).isEqualTo("Ærøskøbing^Jan=王^小東".getBytes(StandardCharsets.UTF_8));
        Attributes item = utf8.newSequence(Tag.OtherPatientIDsSequence).addItem();
        item.setString(Tag.PatientName, VR.PN, "Müller");
        assertThat(item.getBytes(Tag.PatientName)).isEqualTo("Müller".getBytes(StandardCharsets.UTF_8));
        assertThat(item.getString(Tag.PatientName)).isEqualTo("Müller");

        Attributes latin1 = new Attributes();
        latin1.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        latin1.setString(Tag.PatientName, VR.PN, "Müller^Renée");
        assertThat(latin1.getBytes(Tag.PatientName)).isEqualTo("Müller^Renée".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(latin1.getString(Tag.PatientName)).isEqualTo("Müller^Renée");
        // UIDs and codes are never charset-dependent
        latin1.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3");
        assertThat(latin1.getBytes(Tag.StudyInstanceUID)).containsExactly('1', '.', '2', '.', '3');
    }

    @Test
    void bigEndianValuesAreSwappedOnRead() throws Exception {
        Attributes le = DicomFile.read(Peers.sample("MR_small.dcm")).dataset();
        Attributes be = DicomFile.read(Peers.sample("MR_small_bigendian.dcm")).dataset();
        assertThat(be.getInt(Tag.Rows, 0)).isEqualTo(le.getInt(Tag.Rows, 0)).isEqualTo(64);
        assertThat(be.getBytes(Tag.PixelData)).isEqualTo(le.getBytes(Tag.PixelData));
    }
}
