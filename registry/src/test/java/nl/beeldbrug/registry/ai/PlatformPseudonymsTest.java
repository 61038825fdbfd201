package nl.beeldbrug.registry.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformPseudonymsTest {

    private static final String BSN = "999911120";

    private static PlatformKey key(int fill) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) fill);
        return PlatformKey.of(bytes);
    }

    private final PlatformPseudonyms one = new PlatformPseudonyms(key(1));
    private final PlatformPseudonyms other = new PlatformPseudonyms(key(2));

    @Test
    void stablePerPlatform() {
        PlatformPseudonyms again = new PlatformPseudonyms(key(1));
        assertThat(again.patientPseudonym(BSN)).isEqualTo(one.patientPseudonym(BSN));
        assertThat(again.dateShiftDays(BSN)).isEqualTo(one.dateShiftDays(BSN));
        assertThat(again.uid("1.2.3.4")).isEqualTo(one.uid("1.2.3.4"));
    }

    @Test
    void differAcrossPlatforms() {
        assertThat(other.patientPseudonym(BSN)).isNotEqualTo(one.patientPseudonym(BSN));
        assertThat(other.uid("1.2.3.4")).isNotEqualTo(one.uid("1.2.3.4"));
    }

    @Test
    void differAcrossPatientsAndUids() {
        assertThat(one.patientPseudonym("999911132")).isNotEqualTo(one.patientPseudonym(BSN));
        assertThat(one.uid("1.2.3.5")).isNotEqualTo(one.uid("1.2.3.4"));
        assertThat(one.patientPseudonym(BSN)).doesNotContain(BSN);
    }

    @Test
    void uidsAreValidDicomUidsOfTheUuidRoot() {
        for (int i = 0; i < 2000; i++) {
            String uid = one.uid("1.2.840.113619.2." + i);
            assertThat(uid).hasSizeLessThanOrEqualTo(64).matches("2\\.25\\.(0|[1-9][0-9]*)");
            assertThat(new java.math.BigInteger(uid.substring(5)).bitLength()).isLessThanOrEqualTo(128);
        }
    }

    @Test
    void patientPseudonymFitsLoAndPn() {
        String pseudonym = one.patientPseudonym(BSN);
        assertThat(pseudonym).hasSizeLessThanOrEqualTo(64).matches("[A-Z0-9]+");
    }

    @Test
    void dateShiftNeverZeroAndBounded() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            int shift = one.dateShiftDays("patient-" + i);
            assertThat(shift).isBetween(-PlatformPseudonyms.MAX_SHIFT_DAYS, -1);
            seen.add(shift);
        }
        assertThat(seen.size()).as("spread over the range").isGreaterThan(1000);
    }

    @Test
    void keysShorterThan32BytesAreRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> PlatformKey.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        Path shortFile = dir.resolve("short.key");
        Files.writeString(shortFile, Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> PlatformKey.read(shortFile)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("short.key").hasMessageContaining("shorter than 32");
        assertThatThrownBy(() -> PlatformKey.read(dir.resolve("absent.key"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("absent.key");
    }

    @Test
    void keyFilesAreBase64OrRaw(@TempDir Path dir) throws Exception {
        byte[] secret = new byte[48];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 7 + 200);
        }
        Path text = dir.resolve("b64.key");
        Files.writeString(text, Base64.getEncoder().encodeToString(secret) + "\n", StandardCharsets.US_ASCII);
        Path raw = dir.resolve("raw.key");
        Files.write(raw, secret);
        assertThat(PlatformKey.read(text)).isEqualTo(PlatformKey.of(secret));
        assertThat(PlatformKey.read(raw)).isEqualTo(PlatformKey.of(secret));
        assertThat(PlatformKey.read(raw).toString()).isEqualTo("PlatformKey(48 bytes)");
    }
}
