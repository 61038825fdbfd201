package nl.beeldbrug.registry.bridge;

/**
 * Assigning authorities of patient identifiers, written as a bare OID, as {@code urn:oid:OID} (DICOM Issuer of
 * Patient ID, FHIR) or as an HL7 v2 HD ({@code &OID&ISO}, {@code name&OID&ISO}): all compare by their OID.
 */
public final class AssigningAuthority {

    private AssigningAuthority() {
    }

    /** The OID of an assigning authority in any of the written forms; empty string for null/blank. */
    public static String oid(String authority) {
        if (authority == null) {
            return "";
        }
        String s = authority.trim();
        if (s.startsWith("urn:oid:")) {
            return s.substring(8);
        }
        int amp = s.indexOf('&');
        if (amp >= 0) {
            String rest = s.substring(amp + 1);
            int end = rest.indexOf('&');
            return (end >= 0 ? rest.substring(0, end) : rest).trim();
        }
        return s;
    }

    /** True when both name the same OID (and it is not blank). */
    public static boolean same(String a, String b) {
        String oid = oid(a);
        return !oid.isEmpty() && oid.equals(oid(b));
    }
}
