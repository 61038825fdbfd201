package nl.beeldbrug.registry.ai;

import java.util.Map;

/**
 * The header of one SOP instance as the source archive holds it, for the {@link ValidationGate}: attribute values by
 * tag (the DICOM tag as an int, e.g. {@code 0x00100020}; multi-valued attributes joined with {@code \}), and whether
 * the instance carries Pixel Data (7FE0,0010) (float and double pixel data count too).
 */
public record InstanceHeader(Map<Integer, String> values, boolean pixelData) {

    public InstanceHeader {
        values = Map.copyOf(values);
    }

    /** The value of a tag, or null when absent or empty. */
    public String get(int tag) {
        String value = values.get(tag);
        return value == null || value.isEmpty() ? null : value;
    }
}
