package nl.beeldbrug.registry.patient;

import java.util.Optional;

/**
 * A Dutch citizen service number (burgerservicenummer): nine digits that pass the "elfproef".
 * The national patient identifier of the XDS affinity domain (assigning authority {@link #OID}).
 * {@link #toString()} masks the number so that it never reaches a log by accident.
 */
public final class Bsn {

    /** Assigning authority OID of the BSN. */
    public static final String OID = "2.16.840.1.113883.2.4.6.3";

    private static final int[] WEIGHTS = {9, 8, 7, 6, 5, 4, 3, 2, -1};

    private final String value;

    private Bsn(String value) {
        this.value = value;
    }

    /** Parses a BSN, or returns empty when it is not nine digits passing the elfproef. */
    public static Optional<Bsn> parse(String candidate) {
        return isValid(candidate) ? Optional.of(new Bsn(candidate)) : Optional.empty();
    }

    /** Parses a BSN; throws {@link IllegalArgumentException} (without echoing the input) when invalid. */
    public static Bsn of(String candidate) {
        return parse(candidate).orElseThrow(() -> new IllegalArgumentException("not a valid BSN (elfproef)"));
    }

    /** True when the string is nine ASCII digits whose weighted sum is divisible by 11 and not 0. */
    public static boolean isValid(String candidate) {
        if (candidate == null || candidate.length() != 9) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            char c = candidate.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            sum += (c - '0') * WEIGHTS[i];
        }
        return sum != 0 && sum % 11 == 0;
    }

    /** The nine digits. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bsn other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Masked form, safe for logs: only the last two digits. */
    @Override
    public String toString() {
        return "BSN(*******" + value.substring(7) + ")";
    }
}
