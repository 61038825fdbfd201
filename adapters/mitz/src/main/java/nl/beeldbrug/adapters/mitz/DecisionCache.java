package nl.beeldbrug.adapters.mitz;

import nl.beeldbrug.registry.consent.NationalConsentAnswer;
import nl.beeldbrug.registry.consent.NationalConsentQuestion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A short-lived memory of answers per question (all attributes of the question are the key), so a
 * burst of requests for one patient's studies asks Mitz once. Indeterminate is never remembered. When
 * full, expired entries are dropped first, and if that is not enough, everything (a cache, not a store).
 */
final class DecisionCache {

    private record Entry(NationalConsentAnswer answer, Instant expires) {
    }

    private final Map<NationalConsentQuestion, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration ttl;
    private final int maxEntries;

    DecisionCache(Clock clock, Duration ttl, int maxEntries) {
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    Optional<NationalConsentAnswer> get(NationalConsentQuestion question) {
        Entry entry = entries.get(question);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(question, entry);
            return Optional.empty();
        }
        return Optional.of(entry.answer());
    }

    void put(NationalConsentQuestion question, NationalConsentAnswer answer) {
        if (answer == NationalConsentAnswer.INDETERMINATE || ttl.isZero() || maxEntries == 0) {
            return;
        }
        Instant now = clock.instant();
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(question, new Entry(answer, now.plus(ttl)));
    }

    int size() {
        return entries.size();
    }
}
