package nl.beeldbrug.adapters.dicom.deid;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** Keys of a test platform: UIDs from SHA-256 of a platform secret and the original, like the HMAC of registry.ai. */
record TestKeys(String secret, String patientPseudonym, int dateShiftDays) implements DeidentificationKeys {

    @Override
    public String uid(String originalUid) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(secret.getBytes(StandardCharsets.UTF_8));
            byte[] h = md.digest(originalUid.getBytes(StandardCharsets.US_ASCII));
            return "2.25." + new BigInteger(1, Arrays.copyOf(h, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
