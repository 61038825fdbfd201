package nl.beeldbrug.adapters.dicom.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import nl.beeldbrug.adapters.dicom.dict.ElementDictionary;
import nl.beeldbrug.adapters.dicom.dict.Tag;

/**
 * A DICOM data set (or sequence item): elements in ascending tag order. Values are kept as little endian
 * bytes; text is decoded with the Specific Character Set in force (own or inherited from the parent).
 */
public final class Attributes {
    private final TreeMap<Integer, Element> elements = new TreeMap<>(Integer::compareUnsigned);
    private final Attributes parent;
    private SpecificCharacterSet charset;

    public Attributes() {
        this(null);
    }

    Attributes(Attributes parent) {
        this.parent = parent;
    }

    // ---- raw access ------------------------------------------------------------------------------

    public Element get(int tag) {
        return elements.get(tag);
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public Collection<Element> elements() {
        return List.copyOf(elements.values());
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    public Element remove(int tag) {
        if (tag == Tag.SpecificCharacterSet) {
            charset = null;
        }
        return elements.remove(tag);
    }

    /** Puts an element as is (value: byte[], Sequence, Fragments, BulkData or null). */
    public void put(int tag, VR vr, Object value) {
        if (tag == Tag.SpecificCharacterSet) {
            charset = null;
        }
        elements.put(tag, new Element(tag, vr, value));
    }

    public byte[] getBytes(int tag) {
        Element e = elements.get(tag);
        return e != null && e.value() instanceof byte[] b ? b : null;
    }

    public void setBytes(int tag, VR vr, byte[] value) {
        put(tag, vr, value);
    }

    // ---- character set ---------------------------------------------------------------------------

    public SpecificCharacterSet specificCharacterSet() {
        if (charset == null) {
            Element e = elements.get(Tag.SpecificCharacterSet);
            if (e != null) {
                charset = SpecificCharacterSet.of(getStrings(Tag.SpecificCharacterSet, StandardCharsets.US_ASCII));
            } else {
                charset = parent != null ? parent.specificCharacterSet() : SpecificCharacterSet.DEFAULT;
            }
        }
        return charset;
    }

    // ---- strings ---------------------------------------------------------------------------------

    /** First value of a string element, trimmed of padding; null when absent or empty. */
    public String getString(int tag) {
        String[] v = getStrings(tag);
        return v.length == 0 || v[0].isEmpty() ? null : v[0];
    }

    public String getString(int tag, String defaultValue) {
        String s = getString(tag);
        return s == null ? defaultValue : s;
    }

    /** All values of a string element (or the decimal text of a binary numeric element). */
    public String[] getStrings(int tag) {
        Element e = elements.get(tag);
        if (e == null || !(e.value() instanceof byte[])) {
            return new String[0];
        }
        if (!e.vr().isString()) {
            int[] ints = numeric(e);
            if (ints == null) {
                return new String[0];
            }
            String[] s = new String[ints.length];
            for (int i = 0; i < ints.length; i++) {
                s[i] = Integer.toUnsignedString(ints[i]);
            }
            return s;
        }
        return getStrings(tag, e.vr().isCharsetDependent() ? specificCharacterSet().charset() : StandardCharsets.ISO_8859_1);
    }

    private String[] getStrings(int tag, java.nio.charset.Charset cs) {
        Element e = elements.get(tag);
        byte[] b = (byte[]) e.value();
        if (b.length == 0) {
            return new String[0];
        }
        String s = new String(b, cs);
        String[] parts = e.vr().isMultiValuedString() ? s.split("\\\\", -1) : new String[] {s};
        for (int i = 0; i < parts.length; i++) {
            parts[i] = trim(parts[i], e.vr());
        }
        return parts;
    }

    private static String trim(String s, VR vr) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        int start = 0;
        if (vr != VR.LT && vr != VR.ST && vr != VR.UT) {
            while (start < end && s.charAt(start) == ' ') {
                start++;
            }
        }
        return s.substring(start, end);
    }

    /** Sets a string element (values joined by backslash), encoded with the data set's character set. */
    public void setString(int tag, VR vr, String... values) {
        String joined = String.join("\\", values);
        byte[] b = vr.isCharsetDependent() && tag != Tag.SpecificCharacterSet
                ? specificCharacterSet().encode(joined) : joined.getBytes(StandardCharsets.ISO_8859_1);
        put(tag, vr, b);
    }

    /** Sets a string element with the dictionary VR. */
    public void setString(int tag, String... values) {
        setString(tag, ElementDictionary.standard().vrOf(tag), values);
    }

    // ---- numbers ---------------------------------------------------------------------------------

    public int getInt(int tag, int defaultValue) {
        Element e = elements.get(tag);
        if (e == null || !(e.value() instanceof byte[] b) || b.length == 0) {
            return defaultValue;
        }
        if (e.vr().isString()) {
            try {
                String s = getString(tag);
                return s == null ? defaultValue : (int) Double.parseDouble(s);
            } catch (NumberFormatException ex) {
                return defaultValue;
            }
        }
        int[] v = numeric(e);
        return v == null || v.length == 0 ? defaultValue : v[0];
    }

    private static int[] numeric(Element e) {
        byte[] b = (byte[]) e.value();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int size;
        switch (e.vr()) {
            case US, SS, OW -> size = 2;
            case UL, SL, AT, OL -> size = 4;
            default -> {
                return null;
            }
        }
        int n = b.length / size;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = switch (e.vr()) {
                case US, OW -> bb.getShort() & 0xFFFF;
                case SS -> bb.getShort();
                case AT -> (bb.getShort() & 0xFFFF) << 16 | (bb.getShort() & 0xFFFF);
                default -> bb.getInt();
            };
        }
        return out;
    }

    /** Sets US, SS, UL, SL or AT values, or IS/DS text for string VRs. */
    public void setInt(int tag, VR vr, int... values) {
        if (vr.isString()) {
            String[] s = new String[values.length];
            for (int i = 0; i < values.length; i++) {
                s[i] = Integer.toString(values[i]);
            }
            setString(tag, vr, s);
            return;
        }
        int size = vr == VR.US || vr == VR.SS || vr == VR.OW ? 2 : 4;
        ByteBuffer bb = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (size == 2) {
                bb.putShort((short) v);
            } else if (vr == VR.AT) {
                bb.putShort((short) (v >>> 16)).putShort((short) v);
            } else {
                bb.putInt(v);
            }
        }
        put(tag, vr, bb.array());
    }

    // ---- sequences -------------------------------------------------------------------------------

    public Sequence getSequence(int tag) {
        Element e = elements.get(tag);
        return e != null && e.value() instanceof Sequence s ? s : null;
    }

    /** Creates (replacing any old value) an empty sequence element and returns it. */
    public Sequence newSequence(int tag) {
        Sequence s = new Sequence(this);
        put(tag, VR.SQ, s);
        return s;
    }

    /** First item of a sequence, or null. */
    public Attributes getNestedItem(int tag) {
        Sequence s = getSequence(tag);
        return s == null || s.isEmpty() ? null : s.get(0);
    }

    public Attributes parent() {
        return parent;
    }

    // ---- copying ---------------------------------------------------------------------------------

    /** Deep copy of all elements of {@code other} into this data set (bulk data shared by reference). */
    public void addAll(Attributes other) {
        for (Element e : other.elements.values()) {
            if (e.value() instanceof Sequence s) {
                Sequence copy = newSequence(e.tag());
                for (Attributes item : s) {
                    copy.addItem().addAll(item);
                }
            } else {
                put(e.tag(), e.vr(), e.value() instanceof byte[] b ? b.clone() : e.value());
            }
        }
    }

    /** Copy of the elements with tags in [from, to] (unsigned). */
    public Attributes subset(int from, int to) {
        Attributes a = new Attributes();
        Attributes src = new Attributes();
        for (Map.Entry<Integer, Element> en : elements.subMap(from, true, to, true).entrySet()) {
            src.elements.put(en.getKey(), en.getValue());
        }
        a.addAll(src);
        return a;
    }

    public List<Integer> tags() {
        return new ArrayList<>(elements.keySet());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Element e : elements.values()) {
            sb.append(Element.tagString(e.tag())).append(' ').append(e.vr()).append(' ')
                    .append(ElementDictionary.standard().keywordOf(e.tag())).append('\n');
        }
        return sb.toString();
    }
}
