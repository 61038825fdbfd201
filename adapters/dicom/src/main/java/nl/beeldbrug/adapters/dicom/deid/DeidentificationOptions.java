package nl.beeldbrug.adapters.dicom.deid;

/**
 * The options of PS3.15 Annex E applied on top of the Basic Application Level Confidentiality Profile.
 *
 * @param retainLongitudinalModifiedDates Retain Longitudinal Temporal Information with Modified Dates Option (E.3.6):
 *                                        dates are shifted by {@link DeidentificationKeys#dateShiftDays()} instead
 *                                        of being removed
 * @param cleanDescriptors                Clean Descriptors Option (E.3.5): descriptive text is kept only when a
 *                                        {@link DescriptorCleaner} finds a safe value
 */
public record DeidentificationOptions(boolean retainLongitudinalModifiedDates, boolean cleanDescriptors) {

    /** What AI platforms get: both options. */
    public static DeidentificationOptions standardForAi() {
        return new DeidentificationOptions(true, true);
    }

    /** The Basic Profile alone. */
    public static DeidentificationOptions basic() {
        return new DeidentificationOptions(false, false);
    }
}
