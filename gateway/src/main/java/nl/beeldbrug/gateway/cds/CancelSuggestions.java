package nl.beeldbrug.gateway.cds;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The uuids of "cancel this order" suggestions recently issued, so that feedback accepting one counts as an order
 * cancelled after a card. Bounded (oldest forgotten) and per gateway instance: feedback reaching another instance
 * counts as an accepted card only.
 */
final class CancelSuggestions {

    private final Map<String, Boolean> issued;

    CancelSuggestions(int capacity) {
        this.issued = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void issued(String uuid) {
        issued.put(uuid, Boolean.TRUE);
    }

    /** True once for an issued cancel suggestion. */
    synchronized boolean accepted(String uuid) {
        return issued.remove(uuid) != null;
    }
}
