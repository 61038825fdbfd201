package nl.beeldbrug.adapters.dicom.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Specific Character Set (0008,0005) for single-byte and UTF-8 repertoires (PS3.3 C.12.1.1.2).
 * ISO 2022 code extensions are not switched: the first value's repertoire is used.
 */
public final class SpecificCharacterSet {
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet("", StandardCharsets.ISO_8859_1);
    public static final SpecificCharacterSet ISO_IR_100 = new SpecificCharacterSet("ISO_IR 100", StandardCharsets.ISO_8859_1);
    public static final SpecificCharacterSet ISO_IR_192 = new SpecificCharacterSet("ISO_IR 192", StandardCharsets.UTF_8);

    private final String term;
    private final Charset charset;

    private SpecificCharacterSet(String term, Charset charset) {
        this.term = term;
        this.charset = charset;
    }

    public static SpecificCharacterSet of(String[] terms) {
        String t = terms == null || terms.length == 0 ? "" : terms[0].trim();
        if (t.isEmpty() && terms != null && terms.length > 1) {
            t = terms[1].trim();
        }
        return switch (t.replace("ISO 2022 IR", "ISO_IR")) {
            case "", "ISO_IR 6" -> DEFAULT;
            case "ISO_IR 100" -> ISO_IR_100;
            case "ISO_IR 192" -> ISO_IR_192;
            case "ISO_IR 101" -> named(t, "ISO-8859-2");
            case "ISO_IR 109" -> named(t, "ISO-8859-3");
            case "ISO_IR 110" -> named(t, "ISO-8859-4");
            case "ISO_IR 144" -> named(t, "ISO-8859-5");
            case "ISO_IR 127" -> named(t, "ISO-8859-6");
            case "ISO_IR 126" -> named(t, "ISO-8859-7");
            case "ISO_IR 138" -> named(t, "ISO-8859-8");
            case "ISO_IR 148" -> named(t, "ISO-8859-9");
            case "ISO_IR 203" -> named(t, "ISO-8859-15");
            case "ISO_IR 166" -> named(t, "TIS-620");
            case "ISO_IR 13" -> named(t, "Shift_JIS");
            case "GB18030" -> named(t, "GB18030");
            case "GBK" -> named(t, "GBK");
            default -> DEFAULT;
        };
    }

    private static SpecificCharacterSet named(String term, String charset) {
        return Charset.isSupported(charset) ? new SpecificCharacterSet(term, Charset.forName(charset)) : DEFAULT;
    }

    public String term() {
        return term;
    }

    public Charset charset() {
        return charset;
    }

    public String decode(byte[] b) {
        return new String(b, charset);
    }

    public byte[] encode(String s) {
        return s.getBytes(charset);
    }
}
