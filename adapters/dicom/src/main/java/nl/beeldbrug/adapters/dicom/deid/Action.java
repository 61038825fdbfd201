package nl.beeldbrug.adapters.dicom.deid;

/**
 * The action codes of PS3.15 Table E.1-1 (section E.1.1), after resolving the combined codes.
 *
 * <p>The table also has combined codes whose choice depends on the attribute's type in the IOD of the instance
 * (Type 1, 2 or 3): {@code Z/D}, {@code X/Z}, {@code X/D}, {@code X/Z/D} and {@code X/Z/U*}. This de-identifier
 * does not know every IOD's module tables, so it cannot tell whether removal would break conformance; it picks the
 * choice that is always conformant and never keeps the original value ({@link #resolve(String)}):
 * <ul>
 *   <li>{@code X/Z} → {@link #Z} (a zero-length value satisfies Type 2 and 3);</li>
 *   <li>{@code X/D}, {@code Z/D}, {@code X/Z/D} → {@link #D} (a dummy value satisfies Type 1, 2 and 3);</li>
 *   <li>{@code X/Z/U*} (sequences of references) → {@link #U}: the sequence stays, and every UID inside it is
 *       replaced, every other attribute inside handled by the table like anywhere else.</li>
 * </ul>
 */
public enum Action {
    /** Replace with a non-zero length dummy value consistent with the VR. */
    D,
    /** Replace with a zero-length value. */
    Z,
    /** Remove. */
    X,
    /** Keep (sequences: keep, and de-identify their items). */
    K,
    /** Clean: keep only a value known to be safe (what that is depends on the option that asks for it). */
    C,
    /** Replace UIDs with a non-zero length UID consistent within the set of instances. */
    U;

    /** The action of a table code, resolving the combined codes as described above. */
    public static Action resolve(String code) {
        return switch (code.trim()) {
            case "D", "X/D", "Z/D", "X/Z/D" -> D;
            case "Z", "X/Z" -> Z;
            case "X" -> X;
            case "K" -> K;
            case "C" -> C;
            case "U", "X/Z/U*", "X/Z/U" -> U;
            default -> throw new IllegalArgumentException("unknown PS3.15 action code " + code);
        };
    }
}
