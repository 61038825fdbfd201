package nl.beeldbrug.registry.consent;

/**
 * A care organisation's URA number (UZI-register subscriber number, "abonneenummer"): eight digits,
 * assigning authority {@link #OID}.
 */
public record Ura(String value) {

    /** Assigning authority OID of URA numbers. */
    public static final String OID = "2.16.528.1.1007.3.3";

    public Ura {
        if (value == null || !value.matches("[0-9]{8}")) {
            throw new IllegalArgumentException("a URA is eight digits");
        }
    }

    public static Ura of(String value) {
        return new Ura(value);
    }

    @Override
    public String toString() {
        return "URA " + value;
    }
}
