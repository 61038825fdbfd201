package nl.beeldbrug.adapters.dicom.data;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** New UIDs under the 2.25 root (PS3.5 B.2: a UUID as an integer), no registration needed. */
public final class Uids {
    private Uids() {
    }

    public static String create() {
        UUID u = UUID.randomUUID();
        byte[] b = ByteBuffer.allocate(17).put((byte) 0).putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits()).array();
        return "2.25." + new BigInteger(b);
    }
}
