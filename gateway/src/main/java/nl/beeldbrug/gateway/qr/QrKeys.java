package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.adapters.dicom.archive.KeyMatcher;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Element;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.net.Dimse;
import nl.beeldbrug.adapters.dicom.net.DimseException;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.patient.Bsn;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reading a Q/R identifier (PS3.4 C.6) and writing matches: the level, the unique keys (a malformed one is
 * refused with 0xA900), the patient as a BSN (Issuer of Patient ID {@value Bsn#OID}), and a study's attributes as
 * the registry knows them, answered with exactly the keys that were asked for.
 */
final class QrKeys {

    static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
    private static final String UID = "[0-9]+(\\.[0-9]+)*";
    /** Keys matched by the registry search rather than by {@link KeyMatcher}. */
    private static final int[] SEARCHED = {Tag.QueryRetrieveLevel, Tag.SpecificCharacterSet, Tag.PatientID,
        Tag.IssuerOfPatientID, Tag.StudyInstanceUID, Tag.AccessionNumber, Tag.ModalitiesInStudy, Tag.RetrieveAETitle};

    private QrKeys() {
    }

    /** The Query/Retrieve Level; 0xA900 when absent or not one of PATIENT, STUDY, SERIES, IMAGE. */
    static String level(Attributes keys, boolean patientRoot) throws DimseException {
        String level = keys.getString(Tag.QueryRetrieveLevel);
        level = level == null ? "" : level.trim();
        if (level.equals("STUDY") || level.equals("SERIES") || level.equals("IMAGE") || (patientRoot && level.equals("PATIENT"))) {
            return level;
        }
        throw malformed("Query/Retrieve Level '" + level + "'");
    }

    /** The values of a UID key (empty: universal); 0xA900 when one is not a UID. */
    static List<String> uids(Attributes keys, int tag) throws DimseException {
        String[] values = keys.getStrings(tag);
        if (values.length == 0 || (values.length == 1 && (values[0].isBlank() || values[0].equals("*")))) {
            return List.of();
        }
        for (String v : values) {
            if (v.length() > 64 || !v.trim().matches(UID)) {
                throw malformed("not a UID in " + Element.tagString(tag));
            }
        }
        return Arrays.stream(values).map(String::trim).toList();
    }

    /** The one UID a level below requires (PS3.4 C.4.1.3.1); 0xA900 when missing, a list or malformed. */
    static String single(Attributes keys, int tag) throws DimseException {
        List<String> uids = uids(keys, tag);
        if (uids.size() != 1) {
            throw malformed(Element.tagString(tag) + " needs exactly one UID");
        }
        return uids.get(0);
    }

    /**
     * The patient asked for: empty = no patient key (universal). A BSN under another issuer, or a value that is no
     * valid BSN, can match nobody here: {@code Optional.of("")}. A wildcard in Patient ID is refused (0xA900):
     * the exchange is not searchable by partial identifiers.
     */
    static Optional<String> patient(Attributes keys) throws DimseException {
        String id = keys.getString(Tag.PatientID);
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        id = id.trim();
        if (id.contains("*") || id.contains("?") || id.contains("\\")) {
            throw malformed("wildcard or list in Patient ID");
        }
        String issuer = keys.getString(Tag.IssuerOfPatientID);
        boolean bsnIssuer = issuer == null || issuer.isBlank() || issuer.trim().equals(Bsn.OID);
        return Optional.of(bsnIssuer && Bsn.isValid(id) ? id : "");
    }

    /** The single-valued accession number asked for (no wildcards), or empty. */
    static Optional<String> accession(Attributes keys) {
        String a = keys.getString(Tag.AccessionNumber);
        return a == null || a.isBlank() || a.contains("*") || a.contains("?") ? Optional.empty() : Optional.of(a.trim());
    }

    /** The modality codes asked for in Modalities in Study (no wildcards), or empty. */
    static List<String> modalities(Attributes keys) {
        return Arrays.stream(keys.getStrings(Tag.ModalitiesInStudy)).map(String::trim)
                .filter(m -> !m.isEmpty() && !m.contains("*") && !m.contains("?")).toList();
    }

    /** A study as Beeldbrug knows it, at STUDY level. */
    static Attributes study(ImagingStudySummary s) {
        Attributes a = new Attributes();
        a.setString(Tag.StudyInstanceUID, VR.UI, s.studyInstanceUid());
        a.setString(Tag.PatientID, VR.LO, s.patientBsn());
        a.setString(Tag.IssuerOfPatientID, VR.LO, Bsn.OID);
        if (s.started() != null) {
            ZonedDateTime t = s.started().atZone(NL);
            a.setString(Tag.StudyDate, VR.DA, t.format(DateTimeFormatter.BASIC_ISO_DATE));
            a.setString(Tag.StudyTime, VR.TM, t.format(DateTimeFormatter.ofPattern("HHmmss")));
        }
        if (!s.accessions().isEmpty()) {
            a.setString(Tag.AccessionNumber, VR.SH, s.accessions().get(0).value());
        }
        if (!s.modalities().isEmpty()) {
            a.setString(Tag.ModalitiesInStudy, VR.CS,
                    s.modalities().stream().map(ImagingStudySummary.CodedValue::code).distinct().toArray(String[]::new));
        }
        if (s.description() != null) {
            a.setString(Tag.StudyDescription, VR.LO, s.description());
        }
        if (s.contents() != null) {
            a.setInt(Tag.NumberOfStudyRelatedSeries, VR.IS, s.contents().seriesCount());
            a.setInt(Tag.NumberOfStudyRelatedInstances, VR.IS, s.contents().instanceCount());
        }
        return a;
    }

    /** Whether a record matches the keys not already matched by the registry search. */
    static boolean matches(Attributes keys, Attributes record) {
        return KeyMatcher.matches(keys, record, SEARCHED);
    }

    /**
     * The response identifier: every key asked for (sequences left out), with our value or zero length, plus the
     * level, the character set and where to retrieve from.
     */
    static Attributes answer(Attributes keys, Attributes record, String level, String retrieveAe) {
        Attributes out = new Attributes();
        out.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        out.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        out.setString(Tag.RetrieveAETitle, VR.AE, retrieveAe);
        for (Element k : keys.elements()) {
            int tag = k.tag();
            if (k.vr() == VR.SQ || tag == Tag.SpecificCharacterSet || tag == Tag.QueryRetrieveLevel
                    || tag == Tag.RetrieveAETitle || (tag >>> 16) == 0x0000) {
                continue;
            }
            Element have = record.get(tag);
            if (have != null) {
                out.put(tag, have.vr(), have.value());
            } else {
                out.put(tag, k.vr(), null);
            }
        }
        return out;
    }

    static DimseException malformed(String why) {
        return new DimseException("identifier: " + why, Dimse.IDENTIFIER_DOES_NOT_MATCH);
    }
}
