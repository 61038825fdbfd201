package nl.beeldbrug.adapters.dicom.deid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PS3.15 Table E.1-1 (Application Level Confidentiality Profile Attributes), loaded from
 * {@code confidentiality-profile.tsv}, which {@code adapters/dicom/tools/generate-deid-table.py} generates from the
 * standard's data as extracted by innolitics/dicom-standard (the file's header names the commit). No action is
 * typed in by hand.
 *
 * <p>Standard attributes the table does not list are kept: E.1.1 asks the de-identifier to protect the attributes
 * of Table E.1-1 and to remove private attributes; the table is meant to list every standard attribute that may
 * carry identifying information. {@link #action} therefore answers {@link Action#K} for them. Odd groups answer
 * {@link Action#X} (the table's "Private Attributes" row; the Retain Safe Private Option is not supported).
 */
public final class ConfidentialityProfile {
    /** Column names of the option columns, as in the source data. */
    public static final String RETAIN_SAFE_PRIVATE = "rtnSafePrivOpt";
    public static final String RETAIN_UIDS = "rtnUIDsOpt";
    public static final String RETAIN_DEVICE_IDENTITY = "rtnDevIdOpt";
    public static final String RETAIN_INSTITUTION_IDENTITY = "rtnInstIdOpt";
    public static final String RETAIN_PATIENT_CHARACTERISTICS = "rtnPatCharsOpt";
    public static final String RETAIN_LONGITUDINAL_FULL_DATES = "rtnLongFullDatesOpt";
    public static final String RETAIN_LONGITUDINAL_MODIFIED_DATES = "rtnLongModifDatesOpt";
    public static final String CLEAN_DESCRIPTORS = "cleanDescOpt";
    public static final String CLEAN_STRUCTURED_CONTENT = "cleanStructContOpt";
    public static final String CLEAN_GRAPHICS = "cleanGraphOpt";

    static final String RESOURCE = "confidentiality-profile.tsv";
    private static final String PRIVATE_ROW = "(GGGG,EEEE) WHERE GGGG IS ODD";
    private static final ConfidentialityProfile STANDARD = load();

    /**
     * One row of the table.
     *
     * @param tag           the tag as the standard writes it: {@code (0010,0010)}, a pattern such as
     *                      {@code (60XX,4000)}, or {@code (GGGG,EEEE) WHERE GGGG IS ODD}
     * @param name          the attribute name
     * @param inStandardIod "Y" in the standard's column "in standard composite IOD"
     * @param basicProfile  the Basic Profile's code as written in the table, e.g. {@code X/Z/D}
     * @param options       the non-empty option columns (column name → code)
     */
    public record Entry(String tag, String name, boolean inStandardIod, String basicProfile,
                        Map<String, String> options) {

        /** The Basic Profile's action, combined codes resolved ({@link Action#resolve}). */
        public Action basicAction() {
            return Action.resolve(basicProfile);
        }

        /** The code of an option column, or null when that column is empty. */
        public String option(String column) {
            return options.get(column);
        }

        public boolean isPrivateAttributes() {
            return PRIVATE_ROW.equals(tag);
        }

        /** Whether the tag is a pattern ({@code xx} digits) rather than one tag. */
        public boolean isPattern() {
            return tag.indexOf('X') >= 0 && !isPrivateAttributes();
        }

        /** True when {@code t} is this row's tag or matches its pattern. */
        public boolean matches(int t) {
            if (isPrivateAttributes()) {
                return ((t >>> 16) & 1) != 0;
            }
            return (t & mask(tag)) == value(tag);
        }

        /** The tag with pattern digits as 0. */
        public int baseTag() {
            return value(tag);
        }

        private static String hex(String tag) {
            return tag.substring(1, 5) + tag.substring(6, 10);
        }

        private static int value(String tag) {
            return Integer.parseUnsignedInt(hex(tag).replace('X', '0'), 16);
        }

        private static int mask(String tag) {
            String h = hex(tag);
            int m = 0;
            for (int i = 0; i < 8; i++) {
                m = m << 4 | (h.charAt(i) == 'X' ? 0 : 0xF);
            }
            return m;
        }
    }

    /** A pattern row with its mask and value computed once. */
    private record PatternRow(int mask, int value, Entry entry) {
    }

    private final List<Entry> entries;
    private final Map<Integer, Entry> exact = new HashMap<>();
    private final List<PatternRow> patterns = new ArrayList<>();
    private final Entry privateAttributes;

    private ConfidentialityProfile(List<Entry> entries) {
        this.entries = List.copyOf(entries);
        Entry priv = null;
        for (Entry e : entries) {
            if (e.isPrivateAttributes()) {
                priv = e;
            } else if (e.isPattern()) {
                patterns.add(new PatternRow(Entry.mask(e.tag()), Entry.value(e.tag()), e));
            } else if (exact.put(e.baseTag(), e) != null) {
                throw new IllegalStateException("tag listed twice in " + RESOURCE + ": " + e.tag());
            }
        }
        if (priv == null) {
            throw new IllegalStateException(RESOURCE + " has no Private Attributes row");
        }
        this.privateAttributes = priv;
    }

    /** The table of the standard (PS3.15 Table E.1-1, the edition named in the data file's header). */
    public static ConfidentialityProfile standard() {
        return STANDARD;
    }

    /** Every row: tag or tag pattern, name, basic action and option columns, in the data file's order. */
    public Collection<Entry> entries() {
        return entries;
    }

    /** The row that governs {@code tag}: its own row, a matching pattern, the private row, or empty. */
    public Optional<Entry> entry(int tag) {
        if (((tag >>> 16) & 1) != 0) {
            return Optional.of(privateAttributes);
        }
        Entry e = exact.get(tag);
        if (e != null) {
            return Optional.of(e);
        }
        for (PatternRow p : patterns) {
            if ((tag & p.mask()) == p.value()) {
                return Optional.of(p.entry());
            }
        }
        return Optional.empty();
    }

    /**
     * The effective action for {@code tag} with {@code options}: {@link Action#C} where a chosen option's column
     * says C (the Basic Profile's action still applies where no clean value can be made, see
     * {@link Deidentifier}), otherwise the Basic Profile's action with combined codes resolved; {@link Action#K}
     * for attributes the table does not list.
     */
    public Action action(int tag, DeidentificationOptions options) {
        Optional<Entry> row = entry(tag);
        if (row.isEmpty()) {
            return Action.K;
        }
        Entry e = row.get();
        if (options.retainLongitudinalModifiedDates() && "C".equals(e.option(RETAIN_LONGITUDINAL_MODIFIED_DATES))) {
            return Action.C;
        }
        if (options.cleanDescriptors() && "C".equals(e.option(CLEAN_DESCRIPTORS))) {
            return Action.C;
        }
        return e.basicAction();
    }

    private static ConfidentialityProfile load() {
        try (InputStream in = ConfidentialityProfile.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the classpath");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static ConfidentialityProfile parse(BufferedReader r) throws IOException {
        String[] header = null;
        List<Entry> rows = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (header == null) {
                header = f;
                if (!"tag".equals(f[0]) || !"basicProfile".equals(f[3])) {
                    throw new IllegalStateException("unexpected header in " + RESOURCE + ": " + line);
                }
                continue;
            }
            if (f.length != header.length) {
                throw new IllegalStateException("row with " + f.length + " columns in " + RESOURCE + ": " + line);
            }
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 4; i < f.length; i++) {
                if (!f[i].isEmpty()) {
                    options.put(header[i], f[i]);
                }
            }
            Entry e = new Entry(f[0], f[1], "Y".equals(f[2]), f[3], Map.copyOf(options));
            e.basicAction(); // fails on an unknown code
            rows.add(e);
        }
        return new ConfidentialityProfile(rows);
    }
}
