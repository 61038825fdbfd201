package nl.beeldbrug.adapters.dicom.deid;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shifts DA and DT values by whole days (Retain Longitudinal Temporal Information with Modified Dates, PS3.15
 * E.3.6). Whole days keep every interval and every time of day, so TM values and the time and UTC offset part of
 * a DT value stay as they are. A value that is not a full date (a DT of only a year or a month, a legacy
 * {@code YYYY.MM.DD}, a range) cannot be shifted exactly: {@link #shift} answers null and the caller falls back
 * to the Basic Profile's action.
 */
final class DateShift {
    private static final Pattern DT = Pattern.compile("(\\d{8})(\\d{0,6}(?:\\.\\d{1,6})?)([+-]\\d{4})?");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private DateShift() {
    }

    /** The shifted values (backslash separated, as stored), or null when one of them is not a full date. */
    static String shift(String values, boolean dateTime, int days) {
        String[] parts = values.split("\\\\", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            String shifted = p.isEmpty() ? "" : dateTime ? shiftDateTime(p, days) : shiftDate(p, days);
            if (shifted == null) {
                return null;
            }
            if (i > 0) {
                out.append('\\');
            }
            out.append(shifted);
        }
        return out.toString();
    }

    static String shiftDate(String da, int days) {
        if (da.length() != 8) {
            return null;
        }
        try {
            return LocalDate.parse(da, DA).plusDays(days).format(DA);
        } catch (DateTimeException ex) {
            return null;
        }
    }

    static String shiftDateTime(String dt, int days) {
        Matcher m = DT.matcher(dt);
        if (!m.matches()) {
            return null;
        }
        String date = shiftDate(m.group(1), days);
        if (date == null) {
            return null;
        }
        return date + m.group(2) + (m.group(3) == null ? "" : m.group(3));
    }
}
