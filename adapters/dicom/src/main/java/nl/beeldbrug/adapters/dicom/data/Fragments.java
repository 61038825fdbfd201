package nl.beeldbrug.adapters.dicom.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Encapsulated pixel data: the basic offset table and compressed fragments, passed through untouched.
 * Each fragment is a {@code byte[]} or a {@link BulkData}.
 */
public final class Fragments {
    private final List<Object> items = new ArrayList<>();

    public void add(byte[] fragment) {
        items.add(fragment);
    }

    public void add(BulkData fragment) {
        items.add(fragment);
    }

    public List<Object> items() {
        return List.copyOf(items);
    }

    public int size() {
        return items.size();
    }

    static long length(Object fragment) {
        return fragment instanceof byte[] b ? b.length : ((BulkData) fragment).length();
    }
}
