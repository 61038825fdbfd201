package nl.beeldbrug.registry.ai;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudonyms one AI platform sees: HMAC-SHA256 with the platform's {@link PlatformKey}, so they are stable per
 * (platform, patient or UID), cannot be reversed without the key, and differ across platforms (each has its own key).
 * Each kind of value is hashed under its own label, so a patient pseudonym never equals a UID's hash.
 * <ul>
 *   <li>patient pseudonym: {@code P} + 40 hex digits (160 bits) — 41 characters, fits DICOM LO and PN (≤ 64);</li>
 *   <li>date shift: between {@value #MAX_SHIFT_DAYS} days and 1 day EARLIER (negative, never 0), per patient, so a
 *       patient's intervals are kept and no real date is shown;</li>
 *   <li>UID: {@code 2.25.} + the decimal value of 128 HMAC bits (PS3.5 B.2, UUID-derived UIDs), at most 44 characters.</li>
 * </ul>
 */
public final class PlatformPseudonyms {

    /** The largest date shift in days (about ten years back). */
    public static final int MAX_SHIFT_DAYS = 3650;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public PlatformPseudonyms(PlatformKey key) {
        this.key = new SecretKeySpec(Objects.requireNonNull(key, "key").bytes(), ALGORITHM);
    }

    /** The patient's pseudonym for this platform (stable, ≤ 64 characters). */
    public String patientPseudonym(String bsn) {
        byte[] mac = mac("patient", bsn);
        return "P" + HexFormat.of().formatHex(mac, 0, 20).toUpperCase(java.util.Locale.ROOT);
    }

    /** The patient's date shift in days for this platform: from -{@value #MAX_SHIFT_DAYS} to -1, never 0. */
    public int dateShiftDays(String bsn) {
        byte[] mac = mac("date-shift", bsn);
        long unsigned = ((mac[0] & 0xffL) << 24) | ((mac[1] & 0xffL) << 16) | ((mac[2] & 0xffL) << 8) | (mac[3] & 0xffL);
        return -(int) (unsigned % MAX_SHIFT_DAYS + 1);
    }

    /** The replacement of a UID for this platform: {@code 2.25.<decimal of 128 bits>} (stable, ≤ 64 characters). */
    public String uid(String originalUid) {
        byte[] mac = mac("uid", originalUid);
        byte[] first = java.util.Arrays.copyOf(mac, 16);
        return "2.25." + new BigInteger(1, first);
    }

    private byte[] mac(String label, String value) {
        Objects.requireNonNull(value, label);
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) 0);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "PlatformPseudonyms";
    }
}
