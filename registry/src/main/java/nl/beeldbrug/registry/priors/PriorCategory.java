package nl.beeldbrug.registry.priors;

/** How a prior study relates to a planned exam, most relevant first. */
public enum PriorCategory {
    /** Same modality, covering the planned region and side, within the modality's duplicate window. */
    DUPLICATE,
    /** The same region (or one covering it) by another modality, the same exam outside the window, or the other side. */
    SAME_REGION,
    /** A bordering region, or one within the planned region. */
    RELATED_REGION,
    /** Anything else. */
    OTHER;

    /** duplicate / relevant / not relevant, as the labelled corpus speaks. */
    public String label() {
        return switch (this) {
            case DUPLICATE -> "duplicate";
            case SAME_REGION, RELATED_REGION -> "relevant";
            case OTHER -> "not-relevant";
        };
    }
}
