package nl.beeldbrug.adapters.dicom.data;

/** Big/little endian conversion of value bytes in place. */
final class ByteSwap {
    private ByteSwap() {
    }

    static void swap(byte[] b, int off, int len, int unit) {
        int end = off + len - (len % unit);
        for (int i = off; i < end; i += unit) {
            for (int a = i, z = i + unit - 1; a < z; a++, z--) {
                byte t = b[a];
                b[a] = b[z];
                b[z] = t;
            }
        }
    }
}
