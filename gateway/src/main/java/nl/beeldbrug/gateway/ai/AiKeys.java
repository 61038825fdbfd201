package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.adapters.dicom.deid.DeidentificationKeys;

/** The de-identification keys of one patient for one platform: its pseudonym, date shift and UID replacement. */
record AiKeys(AiPlatform platform, String bsn) implements DeidentificationKeys {

    @Override
    public String patientPseudonym() {
        return platform.pseudonyms().patientPseudonym(bsn);
    }

    @Override
    public int dateShiftDays() {
        return platform.pseudonyms().dateShiftDays(bsn);
    }

    @Override
    public String uid(String originalUid) {
        return platform.pseudonyms().uid(originalUid);
    }

    @Override
    public String toString() {
        return "AiKeys[" + platform.ura().value() + "]"; // never the BSN
    }
}
