package nl.beeldbrug.bench.fhir;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Study Instance UIDs of the ImagingStudy resources in a FHIR searchset (JSON, as HAPI encodes it: compact or
 * pretty), so that a search's answer can be compared with the corpus by UID whichever server gave it: the
 * {@code urn:dicom:uid} identifier ({@code urn:oid:} stripped) when the study has one, else its resource id (both
 * Beeldbrug's FHIR face and the peer use the UID as the id).
 */
public final class StudyUids {

    private static final Pattern STUDY = Pattern.compile("\"resourceType\"\\s*:\\s*\"ImagingStudy\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern DICOM_UID = Pattern.compile(
            "\"system\"\\s*:\\s*\"urn:dicom:uid\"\\s*,\\s*\"value\"\\s*:\\s*\"(?:urn:oid:)?([0-9.]+)\"");

    private StudyUids() {
    }

    /** Every ImagingStudy's UID in document order, as a sorted set. */
    public static Set<String> of(String searchset) {
        Set<String> uids = new TreeSet<>();
        Matcher study = STUDY.matcher(searchset);
        int start = study.find() ? study.start() : -1;
        while (start >= 0) {
            int end = study.find() ? study.start() : searchset.length();
            String resource = searchset.substring(start, end);
            Matcher uid = DICOM_UID.matcher(resource);
            Matcher id = ID.matcher(resource);
            if (uid.find()) {
                uids.add(uid.group(1));
            } else if (id.find()) {
                uids.add(id.group(1));
            }
            start = end < searchset.length() ? end : -1;
        }
        return uids;
    }
}
