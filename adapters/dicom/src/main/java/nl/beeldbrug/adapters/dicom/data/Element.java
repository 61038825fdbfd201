package nl.beeldbrug.adapters.dicom.data;

/**
 * One data element. {@code value} is {@code byte[]} (little endian, possibly odd before padding),
 * {@link Sequence}, {@link Fragments}, {@link BulkData}, or null for an empty value.
 */
public record Element(int tag, VR vr, Object value) {

    /** Encoded value length without padding; -1 for sequences and fragments. */
    public long valueLength() {
        if (value == null) {
            return 0;
        }
        if (value instanceof byte[] b) {
            return b.length;
        }
        if (value instanceof BulkData bd) {
            return bd.length();
        }
        return -1;
    }

    public static String tagString(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
