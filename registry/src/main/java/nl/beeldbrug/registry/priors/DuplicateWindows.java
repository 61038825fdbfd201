package nl.beeldbrug.registry.priors;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * How recent a prior of the same exam must be to count as a likely duplicate, per modality. Defaults from the
 * evidence in domain-nl.md (a same-body-part-within-90-days alert raised CT order cancellations from 0.9 % to
 * 6 %): CT, MR, PET, NM and mammography 90 days; ultrasound, radiography, angiography and fluoroscopy 30 days;
 * bone densitometry a year (it is not repeated sooner).
 */
public final class DuplicateWindows {

    private final Map<Modality, Duration> windows;

    private DuplicateWindows(Map<Modality, Duration> windows) {
        this.windows = windows;
    }

    public static DuplicateWindows defaults() {
        Map<Modality, Duration> windows = new EnumMap<>(Modality.class);
        for (Modality m : new Modality[]{Modality.CT, Modality.MR, Modality.PT, Modality.NM, Modality.MG}) {
            windows.put(m, Duration.ofDays(90));
        }
        for (Modality m : new Modality[]{Modality.US, Modality.XR, Modality.XA, Modality.RF}) {
            windows.put(m, Duration.ofDays(30));
        }
        windows.put(Modality.DXA, Duration.ofDays(365));
        return new DuplicateWindows(windows);
    }

    /** A copy with one window changed (configuration). */
    public DuplicateWindows with(Modality modality, Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("a duplicate window cannot be negative");
        }
        Map<Modality, Duration> copy = new EnumMap<>(windows);
        copy.put(modality, window);
        return new DuplicateWindows(copy);
    }

    public Duration of(Modality modality) {
        return windows.getOrDefault(modality, Duration.ofDays(30));
    }
}
