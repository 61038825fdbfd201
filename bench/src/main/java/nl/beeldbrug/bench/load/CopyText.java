package nl.beeldbrug.bench.load;

import java.util.HexFormat;

/** Builds rows in PostgreSQL's COPY text format (tab-separated, {@code \N} for null, backslash escapes). */
final class CopyText {

    private final StringBuilder out;
    private boolean first = true;

    CopyText(StringBuilder out) {
        this.out = out;
    }

    CopyText field(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return this;
    }

    CopyText field(Long value) {
        return value == null ? field((String) null) : field(Long.toString(value));
    }

    CopyText field(long value) {
        separator();
        out.append(value);
        return this;
    }

    /** A bytea value in hex input form ({@code \x...}, its backslash escaped for COPY). */
    CopyText bytea(byte[] value) {
        separator();
        out.append("\\\\x").append(HexFormat.of().formatHex(value));
        return this;
    }

    void endRow() {
        out.append('\n');
        first = true;
    }

    private void separator() {
        if (!first) {
            out.append('\t');
        }
        first = false;
    }
}
