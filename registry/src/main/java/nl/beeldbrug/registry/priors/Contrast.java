package nl.beeldbrug.registry.priors;

/** Whether an exam was done with intravenous contrast, when the source says. */
public enum Contrast {
    WITH, WITHOUT, UNKNOWN
}
