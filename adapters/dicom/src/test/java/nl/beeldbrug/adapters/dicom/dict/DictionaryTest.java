package nl.beeldbrug.adapters.dicom.dict;

import static org.assertj.core.api.Assertions.assertThat;

import nl.beeldbrug.adapters.dicom.data.VR;
import org.junit.jupiter.api.Test;

class DictionaryTest {
    private final ElementDictionary dict = ElementDictionary.standard();

    @Test
    void knownEntries() {
        assertThat(dict.entry(Tag.PatientName)).satisfies(e -> {
            assertThat(e.vr()).isEqualTo(VR.PN);
            assertThat(e.keyword()).isEqualTo("PatientName");
            assertThat(e.vm()).isEqualTo("1");
            assertThat(e.retired()).isFalse();
        });
        assertThat(dict.vrOf(Tag.StudyInstanceUID)).isEqualTo(VR.UI);
        assertThat(dict.vrOf(Tag.ReferencedSeriesSequence)).isEqualTo(VR.SQ);
        assertThat(dict.vrOf(Tag.PixelData)).isEqualTo(VR.OW);
        assertThat(dict.vrOf(Tag.ImageType)).isEqualTo(VR.CS);
        assertThat(dict.entry(Tag.ImageType).vm()).isEqualTo("2-n");
        assertThat(dict.vrOf(0x00000100)).isEqualTo(VR.US); // CommandField
    }

    @Test
    void retiredAndRepeatingGroupsAndPrivateTags() {
        assertThat(dict.entry(0x00080010).retired()).isTrue(); // Recognition Code
        assertThat(dict.entry(0x00080010).keyword()).isEqualTo("RecognitionCode");
        assertThat(dict.entry(0x60020010).keyword()).isEqualTo("OverlayRows"); // (60xx,0010)
        assertThat(dict.vrOf(0x60223000)).isEqualTo(VR.OW); // OverlayData in group 6022
        assertThat(dict.vrOf(0x00090010)).isEqualTo(VR.LO); // private creator
        assertThat(dict.vrOf(0x00091001)).isEqualTo(VR.UN);
        assertThat(dict.vrOf(0x00280000)).isEqualTo(VR.UL); // group length
        assertThat(dict.entry("KeyObjectSelectionDocumentStorage")).isNull();
    }

    @Test
    void uidRegistry() {
        UidDictionary uids = UidDictionary.standard();
        assertThat(uids.nameOf(UID.CTImageStorage)).isEqualTo("CT Image Storage");
        assertThat(uids.isStorageSopClass(UID.KeyObjectSelectionDocumentStorage)).isTrue();
        assertThat(uids.isStorageSopClass(UID.StudyRootQueryRetrieveInformationModelFind)).isFalse();
        assertThat(uids.storageSopClasses()).hasSizeGreaterThan(100);
        assertThat(UID.ExplicitVRLittleEndian).isEqualTo("1.2.840.10008.1.2.1");
    }
}
