package nl.beeldbrug.adapters.dicom.deid;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Element;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;

/**
 * Applies the table to one data set and, recursively, to the items of every sequence it keeps. See
 * {@link Deidentifier} for what each action does here.
 */
final class ProfileApplier {
    static final String DUMMY_TEXT = "ANONYMIZED";
    /** One or more TM values (PS3.5 6.2), nothing else. */
    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final Pattern OFFSETS = Pattern.compile("[+-]\\d{4}(\\\\[+-]\\d{4})*");
    private static final Pattern TIMES = Pattern.compile("\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?(\\\\\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?)*");

    private final ConfidentialityProfile profile;
    private final DeidentificationOptions options;
    private final DescriptorCleaner cleaner;
    private final DeidentificationKeys keys;
    private final String pseudonym;

    ProfileApplier(ConfidentialityProfile profile, DeidentificationOptions options, DescriptorCleaner cleaner,
                   DeidentificationKeys keys) {
        this.profile = profile;
        this.options = options;
        this.cleaner = cleaner;
        this.keys = keys;
        this.pseudonym = checkedPseudonym(keys.patientPseudonym());
    }

    String pseudonym() {
        return pseudonym;
    }

    void apply(Attributes ds) {
        for (Element e : ds.elements()) {
            apply(ds, e);
        }
    }

    private void apply(Attributes ds, Element e) {
        int tag = e.tag();
        int group = tag >>> 16;
        if ((group & 1) != 0 || (tag & 0xFFFF) == 0 || (group & 0xFF00) == 0x6000) {
            // private attributes (the table's last row), group lengths (retired, would be wrong after the
            // changes), and whole overlay groups: the table removes Overlay Data and Overlay Comments, and an
            // overlay plane without its data is not a valid overlay
            ds.remove(tag);
            return;
        }
        if (tag == Tag.PatientName || tag == Tag.PatientID) {
            ds.setString(tag, tag == Tag.PatientName ? VR.PN : VR.LO, pseudonym);
            return;
        }
        Action action = profile.action(tag, options);
        if (action == Action.C) {
            clean(ds, e, profile.entry(tag).orElseThrow());
        } else {
            basic(ds, e, action);
        }
    }

    private void basic(Attributes ds, Element e, Action action) {
        switch (action) {
            case X -> ds.remove(e.tag());
            case Z -> zero(ds, e);
            case D -> dummy(ds, e);
            case U -> uid(ds, e);
            case K -> keep(ds, e);
            case C -> throw new IllegalStateException("C is not a basic action");
        }
    }

    private void clean(Attributes ds, Element e, ConfidentialityProfile.Entry row) {
        boolean dates = options.retainLongitudinalModifiedDates()
                && "C".equals(row.option(ConfidentialityProfile.RETAIN_LONGITUDINAL_MODIFIED_DATES));
        if (dates && modifyDate(ds, e)) {
            return;
        }
        boolean descriptor = options.cleanDescriptors()
                && "C".equals(row.option(ConfidentialityProfile.CLEAN_DESCRIPTORS));
        if (descriptor && cleanDescriptor(ds, e)) {
            return;
        }
        basic(ds, e, row.basicAction());
    }

    /** Shifts DA/DT, keeps TM and the UTC offset; false when this value cannot be kept that way. */
    private boolean modifyDate(Attributes ds, Element e) {
        if (!(e.value() instanceof byte[]) && e.value() != null) {
            return false;
        }
        if (e.vr() == VR.TM || e.tag() == Tag.TimezoneOffsetFromUTC) {
            // whole-day shift: times of day and offsets stay consistent; kept only when they are just that
            return e.value() == null
                    || (e.vr() == VR.TM ? TIMES : OFFSETS).matcher(ascii(e)).matches();
        }
        if (e.vr() != VR.DA && e.vr() != VR.DT) {
            return false; // e.g. an OB timestamp: not shiftable, Basic Profile
        }
        if (e.value() == null) {
            return true;
        }
        String shifted = DateShift.shift(ascii(e), e.vr() == VR.DT, keys.dateShiftDays());
        if (shifted == null) {
            return false;
        }
        ds.setString(e.tag(), e.vr(), shifted);
        return true;
    }

    private boolean cleanDescriptor(Attributes ds, Element e) {
        if (!e.vr().isString() || e.vr() == VR.UI || !(e.value() instanceof byte[] || e.value() == null)) {
            return false; // sequences and binary values: the cleaner only judges text
        }
        String[] values = ds.getStrings(e.tag());
        if (values.length == 0) {
            return true; // zero-length: nothing to clean
        }
        Optional<String> cleaned = cleaner.clean(e.tag(), String.join("\\", values));
        if (cleaned.isEmpty()) {
            return false;
        }
        ds.setString(e.tag(), e.vr(), cleaned.get());
        return true;
    }

    private void keep(Attributes ds, Element e) {
        if (e.value() instanceof Sequence s) {
            items(s);
        } else if (options.retainLongitudinalModifiedDates() && (e.vr() == VR.DA || e.vr() == VR.DT)
                && e.value() instanceof byte[]) {
            // a date the table does not list: shifted too, so that it cannot reveal the shift
            String shifted = DateShift.shift(ascii(e), e.vr() == VR.DT, keys.dateShiftDays());
            if (shifted != null) {
                ds.setString(e.tag(), e.vr(), shifted);
            } else {
                ds.put(e.tag(), e.vr(), null);
            }
        }
    }

    private void items(Sequence s) {
        for (Attributes item : s) {
            apply(item);
        }
    }

    private void zero(Attributes ds, Element e) {
        if (e.value() instanceof Sequence) {
            ds.newSequence(e.tag());
        } else {
            ds.put(e.tag(), e.vr(), null);
        }
    }

    private void dummy(Attributes ds, Element e) {
        if (e.value() instanceof Sequence) {
            ds.newSequence(e.tag()); // no dummy items are made up: an empty sequence
            return;
        }
        int tag = e.tag();
        switch (e.vr()) {
            case PN, LO, SH, LT, ST, UT, UC, CS, AE, UR -> ds.setString(tag, e.vr(), DUMMY_TEXT);
            case DA -> ds.setString(tag, VR.DA, "19000101");
            case TM -> ds.setString(tag, VR.TM, "000000");
            case DT -> ds.setString(tag, VR.DT, "19000101000000");
            case AS -> ds.setString(tag, VR.AS, "000D");
            case DS, IS -> ds.setString(tag, e.vr(), "0");
            case UI -> uid(ds, e);
            case FD, OD, SV, UV, OV -> ds.put(tag, e.vr(), new byte[8]);
            case UL, SL, FL, OL, OF, AT -> ds.put(tag, e.vr(), new byte[4]);
            default -> ds.put(tag, e.vr(), new byte[2]); // US, SS, OW, OB, UN
        }
    }

    private void uid(Attributes ds, Element e) {
        if (e.value() instanceof Sequence s) {
            items(s); // X/Z/U*: the references stay, the UIDs inside are replaced
            return;
        }
        if (e.value() == null) {
            return;
        }
        if (!(e.value() instanceof byte[])) {
            ds.remove(e.tag()); // bulk or fragments where a UID was expected: cannot be a UID, removed
            return;
        }
        String[] values = ascii(e).split("\\\\", -1);
        for (int i = 0; i < values.length; i++) {
            String v = values[i].trim();
            values[i] = v.isEmpty() ? "" : checkedUid(keys.uid(v));
        }
        ds.setString(e.tag(), VR.UI, values);
    }

    String newUid(String original) {
        return checkedUid(keys.uid(original));
    }

    private static String ascii(Element e) {
        String s = new String((byte[]) e.value(), StandardCharsets.ISO_8859_1);
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String checkedUid(String uid) {
        if (uid == null || uid.isEmpty() || uid.length() > 64 || !UID.matcher(uid).matches()) {
            throw new IllegalArgumentException("DeidentificationKeys.uid returned an invalid UID");
        }
        return uid;
    }

    private static String checkedPseudonym(String p) {
        if (p == null || p.isBlank() || p.length() > 64 || p.contains("\\") || p.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("DeidentificationKeys.patientPseudonym must be 1-64 characters");
        }
        return p;
    }
}
