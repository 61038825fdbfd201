package nl.beeldbrug.gateway.consent;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters for the summary: cases per release point, and how many items the oracle permitted and denied in them. */
final class Tally {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    void add(String name, long n) {
        counters.computeIfAbsent(name, k -> new LongAdder()).add(n);
    }

    /** Notes one oracle verdict on an item a release point might have released. */
    void verdict(String releasePoint, boolean permitted) {
        add(releasePoint + (permitted ? " permitted" : " denied"), 1);
    }

    long get(String name) {
        LongAdder adder = counters.get(name);
        return adder == null ? 0 : adder.sum();
    }

    Map<String, Long> snapshot() {
        Map<String, Long> result = new TreeMap<>();
        counters.forEach((k, v) -> result.put(k, v.sum()));
        return result;
    }
}
