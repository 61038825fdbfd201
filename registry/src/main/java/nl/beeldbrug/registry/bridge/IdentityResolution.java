package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.patient.Bsn;

import java.util.Objects;

/** The answer of a {@link PatientIdentityResolver}: the BSN, or the reason there is none. */
public sealed interface IdentityResolution {

    /** Why no BSN was found. */
    enum Reason {
        /** no identifier with the BSN's assigning authority, or the index does not know the patient */
        NO_BSN,
        /** a BSN was found but fails the elfproef */
        INVALID_BSN,
        /** several different BSNs for one patient */
        AMBIGUOUS,
        /** the patient index could not be asked (transient: try again later, no review entry) */
        UNAVAILABLE
    }

    static IdentityResolution found(Bsn bsn) {
        return new Found(bsn);
    }

    static IdentityResolution unresolved(Reason reason, String detail) {
        return new Unresolved(reason, detail);
    }

    /** The BSN of the study's patient. */
    record Found(Bsn bsn) implements IdentityResolution {
        public Found {
            Objects.requireNonNull(bsn, "bsn");
        }
    }

    /**
     * No BSN.
     *
     * @param reason the category
     * @param detail a sentence for the person who fixes it at the source; never contains the BSN or a name
     */
    record Unresolved(Reason reason, String detail) implements IdentityResolution {
        public Unresolved {
            Objects.requireNonNull(reason, "reason");
            detail = Objects.requireNonNullElse(detail, reason.name());
        }
    }
}
