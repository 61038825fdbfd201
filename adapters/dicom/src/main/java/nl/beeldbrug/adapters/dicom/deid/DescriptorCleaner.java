package nl.beeldbrug.adapters.dicom.deid;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the Clean Descriptors Option (PS3.15 E.3.5, action C) keeps of a descriptive text attribute. A cleaner
 * answers a value "known not to contain identifying information", or empty when it cannot vouch for one; the
 * attribute then gets the Basic Profile's action (removed, made zero-length or given a dummy value).
 */
@FunctionalInterface
public interface DescriptorCleaner {

    /**
     * @param tag   the attribute (e.g. Study Description (0008,1030))
     * @param value the original value (decoded, padding trimmed; multi-valued text joined by backslash)
     * @return the value to keep, or empty to apply the Basic Profile's action
     */
    Optional<String> clean(int tag, String value);

    /** The default: nothing is kept, every descriptor gets the Basic Profile's action. */
    static DescriptorCleaner removeAll() {
        return (tag, value) -> Optional.empty();
    }

    /**
     * Keeps a value only when every token (letters and digits, split at anything else) is, ignoring case, one of
     * {@code allowedWords} — e.g. clinical vocabulary such as "CT", "THORAX", "CONTRAST". A name, a number or a
     * date in the text makes the whole value go.
     */
    static DescriptorCleaner allowWords(Set<String> allowedWords) {
        Set<String> words = allowedWords.stream().map(w -> w.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        return (tag, value) -> {
            String[] tokens = value.toUpperCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
            boolean any = false;
            for (String t : tokens) {
                if (t.isEmpty()) {
                    continue;
                }
                if (!words.contains(t)) {
                    return Optional.empty();
                }
                any = true;
            }
            return any ? Optional.of(value) : Optional.empty();
        };
    }
}
