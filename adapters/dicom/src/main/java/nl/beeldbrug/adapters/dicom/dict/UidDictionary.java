package nl.beeldbrug.adapters.dicom.dict;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Registered UIDs (PS3.6 Annex A), loaded from {@code uids.tsv}, generated from pydicom's UID table.
 */
public final class UidDictionary {

    public record Entry(String uid, String keyword, String type, boolean retired, String name) {
    }

    private static final UidDictionary STANDARD = load();
    private final Map<String, Entry> byUid = new HashMap<>();
    private final List<String> storageSopClasses = new ArrayList<>();

    private UidDictionary() {
    }

    public static UidDictionary standard() {
        return STANDARD;
    }

    public Entry entry(String uid) {
        return byUid.get(uid);
    }

    public String nameOf(String uid) {
        Entry e = byUid.get(uid);
        return e == null ? uid : e.name();
    }

    /** Every SOP class whose name ends in "Storage" (the Storage Service Class, PS3.4 B.5). */
    public List<String> storageSopClasses() {
        return List.copyOf(storageSopClasses);
    }

    public boolean isStorageSopClass(String uid) {
        Entry e = byUid.get(uid);
        return e != null && "SOP Class".equals(e.type()) && e.keyword().endsWith("Storage");
    }

    private static UidDictionary load() {
        UidDictionary d = new UidDictionary();
        try (InputStream in = UidDictionary.class.getResourceAsStream("uids.tsv")) {
            if (in == null) {
                throw new IllegalStateException("uids.tsv missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                Entry e = new Entry(f[0], f[1], f[2], "Y".equals(f[3]), f[4]);
                d.byUid.put(e.uid(), e);
                if ("SOP Class".equals(e.type()) && e.keyword().endsWith("Storage")) {
                    d.storageSopClasses.add(e.uid());
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return d;
    }
}
