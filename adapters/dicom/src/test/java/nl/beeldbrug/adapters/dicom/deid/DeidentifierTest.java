package nl.beeldbrug.adapters.dicom.deid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.DicomParseException;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeidentifierTest {
    private static final TestKeys KEYS = new TestKeys("platform-a", "PSEUDO-1", -17);

    @TempDir
    Path spool;

    private static byte[] instance() throws IOException {
        return instance(UID.ExplicitVRLittleEndian);
    }

    private static byte[] instance(String transferSyntax) throws IOException {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        ds.setString(Tag.SOPClassUID, VR.UI, UID.CTImageStorage);
        ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.3.4.3");
        ds.setString(Tag.StudyInstanceUID, VR.UI, "1.2.3.4.1");
        ds.setString(Tag.SeriesInstanceUID, VR.UI, "1.2.3.4.2");
        ds.setString(Tag.StudyDate, VR.DA, "20240115");
        ds.setString(Tag.StudyTime, VR.TM, "101500");
        ds.setString(Tag.AcquisitionDateTime, VR.DT, "20240115101700.5+0100");
        ds.setString(Tag.StudyDescription, VR.LO, "CT thorax contrast");
        ds.setString(Tag.SeriesDescription, VR.LO, "thorax Jansen");
        ds.setString(Tag.PatientName, VR.PN, "Jansen^Piet");
        ds.setString(Tag.PatientID, VR.LO, "999990019");
        ds.setString(Tag.Modality, VR.CS, "CT");
        ds.setString(0x00141020, VR.DA, "20240201"); // Expiry Date: not in Table E.1-1
        ds.setString(0x00290010, VR.LO, "ACME 1.0");
        ds.setString(0x00291010, VR.LO, "Jansen secret");
        ds.setInt(Tag.Rows, VR.US, 2);
        ds.setInt(Tag.Columns, VR.US, 2);
        ds.setBytes(Tag.PixelData, VR.OW, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Attributes ref = ds.newSequence(Tag.ReferencedImageSequence).addItem();
        ref.setString(Tag.ReferencedSOPClassUID, VR.UI, UID.CTImageStorage);
        ref.setString(Tag.ReferencedSOPInstanceUID, VR.UI, "1.2.3.4.9");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomFile.of(ds, transferSyntax).write(out);
        return out.toByteArray();
    }

    private DicomFile run(Deidentifier d, byte[] in) throws IOException {
        return run(d, in, UID.ExplicitVRLittleEndian);
    }

    private DicomFile run(Deidentifier d, byte[] in, String transferSyntax) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeidentifiedInstance result = d.deidentify(new ByteArrayInputStream(in), KEYS, out);
        assertThat(result.bytesWritten()).isEqualTo(out.size());
        assertThat(result.sopInstanceUid()).isEqualTo(KEYS.uid("1.2.3.4.3"));
        assertThat(result.studyUid()).isEqualTo(KEYS.uid("1.2.3.4.1"));
        assertThat(result.seriesUid()).isEqualTo(KEYS.uid("1.2.3.4.2"));
        assertThat(result.sopClassUid()).isEqualTo(UID.CTImageStorage);
        assertThat(result.transferSyntaxUid()).isEqualTo(transferSyntax);
        return DicomFile.read(new ByteArrayInputStream(out.toByteArray()), spool);
    }

    @Test
    void standardForAi() throws IOException {
        Deidentifier d = new Deidentifier(ConfidentialityProfile.standard(), DeidentificationOptions.standardForAi(),
                DescriptorCleaner.allowWords(Set.of("CT", "thorax", "contrast")), spool);
        DicomFile f = run(d, instance());
        Attributes ds = f.dataset();
        assertThat(ds.getString(Tag.PatientName)).isEqualTo("PSEUDO-1");
        assertThat(ds.getString(Tag.PatientID)).isEqualTo("PSEUDO-1");
        assertThat(ds.getString(Tag.StudyDate)).isEqualTo("20231229");
        assertThat(ds.getString(Tag.StudyTime)).isEqualTo("101500");
        assertThat(ds.getString(Tag.AcquisitionDateTime)).isEqualTo("20231229101700.5+0100");
        assertThat(ds.getString(Tag.StudyDescription)).isEqualTo("CT thorax contrast");
        assertThat(ds.getString(0x00141020)).isEqualTo("20240115"); // unlisted dates are shifted too
        assertThat(ds.contains(Tag.SeriesDescription)).isFalse(); // X, and "Jansen" is not an allowed word
        assertThat(ds.contains(0x00290010)).isFalse();
        assertThat(ds.contains(0x00291010)).isFalse();
        assertThat(ds.getString(Tag.Modality)).isEqualTo("CT");
        assertThat(ds.getNestedItem(Tag.ReferencedImageSequence).getString(Tag.ReferencedSOPInstanceUID))
                .isEqualTo(KEYS.uid("1.2.3.4.9"));
        assertThat(ds.getNestedItem(Tag.ReferencedImageSequence).getString(Tag.ReferencedSOPClassUID))
                .isEqualTo(UID.CTImageStorage);
        assertThat(ds.getBytes(Tag.PixelData)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(ds.getString(Tag.PatientIdentityRemoved)).isEqualTo("YES");
        assertThat(ds.getString(Tag.LongitudinalTemporalInformationModified)).isEqualTo("MODIFIED");
        assertThat(ds.getSequence(Tag.DeidentificationMethodCodeSequence).items().stream()
                .map(i -> i.getString(Tag.CodeValue)).toList()).containsExactly("113100", "113107", "113105");
        assertThat(f.fileMeta().getString(Tag.MediaStorageSOPInstanceUID)).isEqualTo(KEYS.uid("1.2.3.4.3"));
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void deflatedInputStaysDeflated() throws IOException {
        Deidentifier d = new Deidentifier(ConfidentialityProfile.standard(), DeidentificationOptions.standardForAi(),
                DescriptorCleaner.removeAll(), spool);
        DicomFile f = run(d, instance(UID.DeflatedExplicitVRLittleEndian), UID.DeflatedExplicitVRLittleEndian);
        assertThat(f.transferSyntax().uid()).isEqualTo(UID.DeflatedExplicitVRLittleEndian);
        assertThat(f.dataset().getString(Tag.PatientID)).isEqualTo("PSEUDO-1");
        assertThat(f.dataset().getString(Tag.StudyDate)).isEqualTo("20231229");
        assertThat(f.dataset().contains(0x00291010)).isFalse();
    }

    @Test
    void basicProfileAlone() throws IOException {
        Deidentifier d = new Deidentifier(ConfidentialityProfile.standard(), DeidentificationOptions.basic(),
                DescriptorCleaner.allowWords(Set.of("CT", "thorax", "contrast")), spool);
        Attributes ds = run(d, instance()).dataset();
        assertThat(ds.contains(Tag.StudyDate)).isTrue();
        assertThat(ds.getString(Tag.StudyDate)).isNull(); // Z
        assertThat(ds.getString(Tag.AcquisitionDateTime)).isEqualTo("19000101000000"); // X/Z/D -> D
        assertThat(ds.contains(Tag.StudyDescription)).isFalse(); // X without the option
        assertThat(ds.getString(0x00141020)).isEqualTo("20240201"); // not in the table: kept
        assertThat(ds.getString(Tag.LongitudinalTemporalInformationModified)).isEqualTo("REMOVED");
        assertThat(ds.getSequence(Tag.DeidentificationMethodCodeSequence).size()).isEqualTo(1);
    }

    @Test
    void defaultCleanerKeepsNoDescriptor() throws IOException {
        Deidentifier d = new Deidentifier(ConfidentialityProfile.standard(), DeidentificationOptions.standardForAi());
        Attributes ds = run(d, instance()).dataset();
        assertThat(ds.contains(Tag.StudyDescription)).isFalse();
    }

    @Test
    void wordListCleaner() {
        DescriptorCleaner c = DescriptorCleaner.allowWords(Set.of("ct", "THORAX", "5mm"));
        assertThat(c.clean(Tag.StudyDescription, "CT^Thorax 5mm")).contains("CT^Thorax 5mm");
        assertThat(c.clean(Tag.StudyDescription, "CT thorax 12345")).isEmpty();
        assertThat(c.clean(Tag.StudyDescription, "  ")).isEmpty();
        assertThat(DescriptorCleaner.removeAll().clean(Tag.StudyDescription, "CT")).isEmpty();
    }

    @Test
    void malformedInputIsATypedErrorAndNothingIsLeftInTheSpool() throws IOException {
        byte[] good = instance();
        byte[] truncated = Arrays.copyOf(good, good.length - 5);
        Deidentifier d = new Deidentifier(ConfidentialityProfile.standard(), DeidentificationOptions.standardForAi(),
                DescriptorCleaner.removeAll(), spool);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThatThrownBy(() -> d.deidentify(new ByteArrayInputStream(truncated), KEYS, out))
                .isInstanceOf(DicomParseException.class);
        assertThat(out.size()).isZero();
        byte[] garbage = new byte[300];
        Arrays.fill(garbage, (byte) 0x41);
        assertThatThrownBy(() -> d.deidentify(new ByteArrayInputStream(garbage), KEYS, out))
                .isInstanceOf(DicomParseException.class);
        assertThat(out.size()).isZero();
        assertThat(spool).isEmptyDirectory();
    }

    @Test
    void refusesBadKeys() throws IOException {
        Deidentifier d = new Deidentifier(ConfidentialityProfile.standard(), DeidentificationOptions.standardForAi(),
                DescriptorCleaner.removeAll(), spool);
        DeidentificationKeys badUid = new DeidentificationKeys() {
            public String patientPseudonym() {
                return "P";
            }

            public int dateShiftDays() {
                return 3;
            }

            public String uid(String originalUid) {
                return "not a uid";
            }
        };
        assertThatThrownBy(() -> d.deidentify(new ByteArrayInputStream(instance()), badUid, new ByteArrayOutputStream()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(spool).isEmptyDirectory();
    }
}
