package nl.beeldbrug.adapters.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** One data set in the DICOM JSON model (PS3.18 F.2): tags as 8 hex digits, each with "vr" and "Value". */
public record DicomJson(JsonNode node) {

    /** First value as text (PN: the Alphabetic group), or null. */
    public String string(int tag) {
        List<String> v = strings(tag);
        return v.isEmpty() ? null : v.get(0);
    }

    public List<String> strings(int tag) {
        JsonNode e = node.get(key(tag));
        List<String> out = new ArrayList<>();
        if (e == null || !e.has("Value")) {
            return out;
        }
        for (JsonNode v : e.get("Value")) {
            if (v.isObject() && v.has("Alphabetic")) {
                out.add(v.get("Alphabetic").asText());
            } else if (!v.isObject()) {
                out.add(v.asText());
            }
        }
        return out;
    }

    public String vr(int tag) {
        JsonNode e = node.get(key(tag));
        return e == null || !e.has("vr") ? null : e.get("vr").asText();
    }

    /** Items of a sequence element. */
    public List<DicomJson> sequence(int tag) {
        JsonNode e = node.get(key(tag));
        List<DicomJson> out = new ArrayList<>();
        if (e != null && e.has("Value")) {
            e.get("Value").forEach(v -> out.add(new DicomJson(v)));
        }
        return out;
    }

    public static String key(int tag) {
        return String.format("%08X", tag);
    }
}
