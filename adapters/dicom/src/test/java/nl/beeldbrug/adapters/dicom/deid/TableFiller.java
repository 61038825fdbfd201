package nl.beeldbrug.adapters.dicom.deid;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.ElementDictionary;
import nl.beeldbrug.adapters.dicom.dict.Tag;

/**
 * Fills a data set with every attribute of Table E.1-1 that a composite instance can carry, each with a
 * recognisable original value: text values contain {@value #MARK} and the tag, UIDs end in the tag, dates are
 * distinct per tag. Rows that are not attributes of a data set (command group 0000, file meta 0002) are listed by
 * {@link #notFilled}. Tags that the dictionary (PS3.6-2022b) does not know are written as LO, or SQ when the
 * name says Sequence.
 */
final class TableFiller {
    static final String MARK = "ORIG";
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private final ConfidentialityProfile profile = ConfidentialityProfile.standard();
    private final ElementDictionary dict = ElementDictionary.standard();

    /** Rows not filled, with the reason. */
    List<String> notFilled() {
        List<String> out = new ArrayList<>();
        for (ConfidentialityProfile.Entry e : profile.entries()) {
            if (tags(e).isEmpty()) {
                out.add(e.tag() + " " + e.name());
            }
        }
        return out;
    }

    /** The concrete tags a row is filled as (patterns: two example groups; private: two creators' blocks). */
    static List<Integer> tags(ConfidentialityProfile.Entry e) {
        if (e.isPrivateAttributes()) {
            return List.of(0x00090010, 0x00091001, 0x00291010, 0x00291020, 0x7FE10010, 0x7FE11010);
        }
        int base = e.baseTag();
        if (e.isPattern()) {
            if ((base & 0xFFFF) == 0) { // (50XX,XXXX)
                return List.of(0x50000005, 0x50000022, 0x50003000, 0x50020022);
            }
            return List.of(base, base | 0x00020000);
        }
        int group = base >>> 16;
        return group == 0x0000 || group == 0x0002 ? List.of() : List.of(base);
    }

    static VR vrOf(ConfidentialityProfile.Entry e, int tag) {
        if ((tag >>> 16 & 1) == 1) {
            return (tag & 0xFF00) == 0 ? VR.LO : (tag == 0x00291020 ? VR.OB : VR.LO);
        }
        if (tag == 0x50003000) {
            return VR.OW; // curve data
        }
        ElementDictionary.Entry d = ElementDictionary.standard().entry(tag);
        if (d != null) {
            return d.vr();
        }
        return e.name().endsWith("Sequence") ? VR.SQ : VR.LO;
    }

    /** Fills {@code ds} with every fillable row; {@code depth} bounds the items put into sequences. */
    void fill(Attributes ds, int depth) {
        int index = 0;
        for (ConfidentialityProfile.Entry e : profile.entries()) {
            index++;
            for (int tag : tags(e)) {
                put(ds, e, tag, vrOf(e, tag), index, depth);
            }
        }
    }

    private void put(Attributes ds, ConfidentialityProfile.Entry e, int tag, VR vr, int index, int depth) {
        String hex = String.format(Locale.ROOT, "%08X", tag);
        switch (vr) {
            case SQ -> {
                Attributes item = ds.newSequence(tag).addItem();
                // listed attributes only, so that nothing unlisted with a marker can stay legitimately
                item.setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.2");
                item.setString(Tag.ReferencedSOPInstanceUID, VR.UI, uid(tag) + ".7");
                item.setString(0x0040A123, VR.PN, MARK + "^SQ" + hex); // Person Name
                item.setString(Tag.PatientName, VR.PN, MARK + "^PN" + hex);
                item.setString(0x00090010, VR.LO, MARK + "PRIV" + hex);
            }
            case PN -> ds.setString(tag, vr, MARK + "^" + hex);
            case LO, LT, ST, UT, UC -> ds.setString(tag, vr, MARK + " " + hex + " text");
            case SH, CS, AE -> ds.setString(tag, vr, MARK + hex);
            case UR -> ds.setString(tag, vr, "http://orig.example/" + MARK + hex);
            case UI -> ds.setString(tag, vr, uid(tag));
            case DA -> ds.setString(tag, vr, date(index));
            case DT -> ds.setString(tag, vr, date(index) + "101500.123+0100");
            case TM -> ds.setString(tag, vr, String.format(Locale.ROOT, "10%02d%02d", index % 60, index / 60 % 60));
            case AS -> ds.setString(tag, vr, String.format(Locale.ROOT, "%03dY", 20 + index % 70));
            case DS -> ds.setString(tag, vr, index + ".5");
            case IS -> ds.setString(tag, vr, Integer.toString(1000 + index));
            case US, SS -> ds.setInt(tag, vr, 0x7000 + index);
            case UL, SL -> ds.setInt(tag, vr, 0x7000_0000 + index);
            default -> ds.setBytes(tag, vr, binary(tag)); // OB, OW, UN, FL, FD, ...
        }
    }

    static String uid(int tag) {
        return "1.2.826.0.1.3680043.10.4711." + Integer.toUnsignedString(tag);
    }

    static String date(int index) {
        return LocalDate.of(2010, 1, 1).plusDays(3L * index).format(DA);
    }

    static byte[] binary(int tag) {
        return ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putInt(0x4F524947).putInt(tag)
                .putInt(0x4F524947).putInt(~tag).array(); // "ORIG" + tag, twice
    }
}
