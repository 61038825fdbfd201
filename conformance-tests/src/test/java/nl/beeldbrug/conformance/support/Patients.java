package nl.beeldbrug.conformance.support;

import java.util.ArrayList;
import java.util.List;

/**
 * Test BSNs. The gateway's demo data knows the first valid BSNs from 999990000 upward (one demo patient
 * per four demo studies); each test class uses a demo patient of its own so that counts per patient are
 * not disturbed by other classes.
 */
public final class Patients {

    private static final List<String> VALID = new ArrayList<>();

    static {
        for (int n = 999_990_000; VALID.size() < 200; n++) {
            if (elfproef(Integer.toString(n))) {
                VALID.add(Integer.toString(n));
            }
        }
    }

    private Patients() {
    }

    /** The n-th demo patient (0-based): known to the registry when the demo set has more than 4n studies. */
    public static String demo(int n) {
        return VALID.get(n);
    }

    /** A BSN that passes the elfproef but is not among the demo patients of the shared gateway. */
    public static String validButUnknown() {
        return VALID.get(150);
    }

    /** Nine digits that fail the elfproef. */
    public static String invalid() {
        String valid = VALID.get(3);
        String candidate = valid.substring(0, 8) + ((valid.charAt(8) - '0' + 1) % 10);
        if (elfproef(candidate)) {
            throw new IllegalStateException("expected an invalid BSN");
        }
        return candidate;
    }

    /** The BSN check: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11. */
    public static boolean elfproef(String bsn) {
        if (bsn.length() != 9 || !bsn.chars().allMatch(Character::isDigit)) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += (9 - i) * (bsn.charAt(i) - '0');
        }
        sum -= bsn.charAt(8) - '0';
        return sum % 11 == 0;
    }
}
