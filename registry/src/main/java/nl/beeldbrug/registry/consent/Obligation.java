package nl.beeldbrug.registry.consent;

/** What the release point must do when it releases under a permit. */
public enum Obligation {
    /**
     * Release only de-identified data (DICOM PS3.15 Annex E, platform-specific stable pseudonym): every
     * permit for RESEARCH or AI carries it.
     */
    DE_IDENTIFY
}
