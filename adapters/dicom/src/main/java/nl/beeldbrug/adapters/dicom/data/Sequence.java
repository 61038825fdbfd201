package nl.beeldbrug.adapters.dicom.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The items of a sequence (SQ) element. */
public final class Sequence implements Iterable<Attributes> {
    private final Attributes parent;
    private final List<Attributes> items = new ArrayList<>();

    Sequence(Attributes parent) {
        this.parent = parent;
    }

    /** Adds and returns a new empty item. */
    public Attributes addItem() {
        Attributes item = new Attributes(parent);
        items.add(item);
        return item;
    }

    public Attributes get(int index) {
        return items.get(index);
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    public List<Attributes> items() {
        return List.copyOf(items);
    }

    @Override
    public Iterator<Attributes> iterator() {
        return items().iterator();
    }
}
