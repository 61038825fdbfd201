package nl.beeldbrug.adapters.dicom.dict;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import nl.beeldbrug.adapters.dicom.data.VR;

/**
 * The standard data dictionary (PS3.6/PS3.7), loaded from {@code elements.tsv}, which
 * {@code tools/generate-dictionary.py} generates from dcmtk's {@code dicom.dic}.
 */
public final class ElementDictionary {

    /** One dictionary entry; {@code tag} is the pattern's base tag (xx as 00). */
    public record Entry(int tag, VR vr, String keyword, String vm, boolean retired) {
    }

    private static final ElementDictionary STANDARD = load();

    private final Map<Integer, Entry> exact = new HashMap<>();
    private final Map<Integer, Entry> groupRepeating = new HashMap<>(); // key: tag with group low byte 0
    private final Map<Integer, Entry> elementRepeating = new HashMap<>(); // key: tag with element low byte 0
    private final Map<String, Entry> byKeyword = new HashMap<>();

    private ElementDictionary() {
    }

    public static ElementDictionary standard() {
        return STANDARD;
    }

    /** Entry of a tag, or null when the tag is not in the standard dictionary. */
    public Entry entry(int tag) {
        Entry e = exact.get(tag);
        if (e == null) {
            e = groupRepeating.get(tag & 0xFF00FFFF);
        }
        if (e == null) {
            e = elementRepeating.get(tag & 0xFFFFFF00);
        }
        return e;
    }

    public Entry entry(String keyword) {
        return byKeyword.get(keyword);
    }

    /** VR to use for a tag in implicit VR encoding (PS3.5 A.1); UN when unknown. */
    public VR vrOf(int tag) {
        int group = tag >>> 16;
        int element = tag & 0xFFFF;
        if (element == 0) {
            return VR.UL; // group length
        }
        if ((group & 1) != 0) {
            return element >= 0x10 && element <= 0xFF ? VR.LO : VR.UN; // private creator / private data
        }
        Entry e = entry(tag);
        return e == null ? VR.UN : e.vr();
    }

    public String keywordOf(int tag) {
        Entry e = entry(tag);
        return e == null ? "" : e.keyword();
    }

    private static ElementDictionary load() {
        ElementDictionary d = new ElementDictionary();
        try (InputStream in = ElementDictionary.class.getResourceAsStream("elements.tsv")) {
            if (in == null) {
                throw new IllegalStateException("elements.tsv missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                String pattern = f[0];
                int tag = Integer.parseUnsignedInt(pattern.replace('x', '0'), 16);
                Entry e = new Entry(tag, VR.valueOf(f[1]), f[2], f[3], "Y".equals(f[4]));
                if (pattern.substring(0, 4).contains("x")) {
                    d.groupRepeating.put(tag, e);
                } else if (pattern.substring(4).contains("x")) {
                    d.elementRepeating.put(tag, e);
                } else {
                    d.exact.put(tag, e);
                }
                d.byKeyword.putIfAbsent(e.keyword(), e);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return d;
    }
}
