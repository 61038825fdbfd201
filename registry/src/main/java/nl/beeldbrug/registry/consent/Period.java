package nl.beeldbrug.registry.consent;

import java.time.Instant;

/**
 * A validity period (FHIR Period): {@code start} inclusive, {@code end} exclusive; null means open.
 */
public record Period(Instant start, Instant end) {

    public static final Period ALWAYS = new Period(null, null);

    public Period {
        if (start != null && end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("a period cannot end before it starts");
        }
    }

    public boolean contains(Instant t) {
        return (start == null || !t.isBefore(start)) && (end == null || t.isBefore(end));
    }
}
