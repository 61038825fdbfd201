package nl.beeldbrug.adapters.dicom.archive;

import java.util.Arrays;
import java.util.regex.Pattern;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Element;
import nl.beeldbrug.adapters.dicom.data.VR;

/** C-FIND key matching (PS3.4 C.2.2.2): universal, single value, UID list, wildcard and range matching. */
public final class KeyMatcher {
    private KeyMatcher() {
    }

    /** Whether {@code record} matches every key of {@code keys} except the {@code ignored} tags. */
    public static boolean matches(Attributes keys, Attributes record, int[] ignored) {
        for (Element k : keys.elements()) {
            if (Arrays.stream(ignored).anyMatch(t -> t == k.tag()) || k.vr() == VR.SQ) {
                continue;
            }
            String[] wanted = keys.getStrings(k.tag());
            if (wanted.length == 0 || (wanted.length == 1 && (wanted[0].isEmpty() || wanted[0].equals("*")))) {
                continue; // universal matching
            }
            String have = record.getString(k.tag());
            if (!matchesOne(k.vr(), wanted, have)) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesOne(VR vr, String[] wanted, String have) {
        if (vr == VR.UI) {
            return have != null && Arrays.asList(wanted).contains(have);
        }
        String w = wanted[0];
        if ((vr == VR.DA || vr == VR.TM || vr == VR.DT) && w.contains("-")) {
            if (have == null) {
                return false;
            }
            String[] r = w.split("-", -1);
            return (r[0].isEmpty() || have.compareTo(r[0]) >= 0) && (r[1].isEmpty() || have.compareTo(r[1]) <= 0);
        }
        if (have == null) {
            return false;
        }
        if (w.contains("*") || w.contains("?")) {
            StringBuilder re = new StringBuilder();
            for (char c : w.toCharArray()) {
                re.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            boolean caseInsensitive = vr == VR.PN;
            return Pattern.compile(re.toString(), caseInsensitive ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0)
                    .matcher(have).matches();
        }
        for (String v : wanted) {
            if (vr == VR.PN ? v.equalsIgnoreCase(have) : v.equals(have)) {
                return true;
            }
        }
        return false;
    }
}
