package nl.beeldbrug.adapters.dicom.data;

/**
 * Value Representations of PS3.5 section 6.2, with the encoding facts the codec needs.
 */
public enum VR {
    AE(false, ' ', 0, true), AS(false, ' ', 0, true), AT(false, 0, 2, false), CS(false, ' ', 0, true),
    DA(false, ' ', 0, true), DS(false, ' ', 0, true), DT(false, ' ', 0, true), FD(false, 0, 8, false),
    FL(false, 0, 4, false), IS(false, ' ', 0, true), LO(false, ' ', 0, true), LT(false, ' ', 0, true),
    OB(true, 0, 0, false), OD(true, 0, 8, false), OF(true, 0, 4, false), OL(true, 0, 4, false),
    OV(true, 0, 8, false), OW(true, 0, 2, false), PN(false, ' ', 0, true), SH(false, ' ', 0, true),
    SL(false, 0, 4, false), SQ(true, 0, 0, false), SS(false, 0, 2, false), ST(false, ' ', 0, true),
    SV(true, 0, 8, false), TM(false, ' ', 0, true), UC(true, ' ', 0, true), UI(false, 0, 0, true),
    UL(false, 0, 4, false), UN(true, 0, 0, false), UR(true, ' ', 0, true), US(false, 0, 2, false),
    UT(true, ' ', 0, true), UV(true, 0, 8, false),
    /** Item and delimitation tags: no VR on the wire. */
    NONE(false, 0, 0, false);

    private final boolean longLength;
    private final byte padding;
    private final int swapSize;
    private final boolean string;
    private final int code;

    VR(boolean longLength, int padding, int swapSize, boolean string) {
        this.longLength = longLength;
        this.padding = (byte) padding;
        this.swapSize = swapSize;
        this.string = string;
        String n = name();
        this.code = n.length() == 2 ? (n.charAt(0) << 8) | n.charAt(1) : 0;
    }

    /** True when explicit VR encoding uses 2 reserved bytes and a 32-bit length (PS3.5 7.1.2). */
    public boolean hasLongLength() {
        return longLength;
    }

    public byte padding() {
        return padding;
    }

    /** Size of the numeric unit to byte-swap when converting big endian, 0 if none. */
    public int swapSize() {
        return swapSize;
    }

    public boolean isString() {
        return string;
    }

    /** True for text VRs whose bytes depend on Specific Character Set (0008,0005). */
    public boolean isCharsetDependent() {
        return this == SH || this == LO || this == ST || this == LT || this == UT || this == PN || this == UC;
    }

    /** True for VRs whose values are multi-valued by backslash. */
    public boolean isMultiValuedString() {
        return string && this != LT && this != ST && this != UT && this != UR;
    }

    public int code() {
        return code;
    }

    /** VR of a two-character code, or null when the code is not a VR. */
    public static VR ofCode(int code) {
        for (VR vr : values()) {
            if (vr.code == code && vr != NONE) {
                return vr;
            }
        }
        return null;
    }
}
