package nl.beeldbrug.registry.priors;

/** The canonical imaging modality of an exam (several DICOM modality codes map to one, e.g. CR and DX to XR). */
public enum Modality {
    CT, MR, US, XR, MG, NM, PT, XA, RF, DXA;

    /** Parses a canonical name; throws {@link IllegalArgumentException} for anything else. */
    public static Modality of(String name) {
        return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
