package nl.beeldbrug.bench.corpus.national;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.registry.patient.Bsn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DICOM Part-10 header files (no pixel data) of a patient's studies, for Orthanc: one instance per series, with the
 * patient (BSN as Patient ID, name, birth date, sex), study (Study Instance UID, accession, date/time, description,
 * institution), series (UID, modality, body part, laterality) and instance attributes the XDS and FHIR outputs
 * carry. Written with Beeldbrug's own adapters/dicom writer, explicit VR little endian.
 */
public final class DicomHeaders {

    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final Map<String, String> SOP_CLASS = Map.of(
            "CT", "1.2.840.10008.5.1.4.1.1.2", "MR", "1.2.840.10008.5.1.4.1.1.4", "US", "1.2.840.10008.5.1.4.1.1.6.1",
            "DX", "1.2.840.10008.5.1.4.1.1.1.1", "CR", "1.2.840.10008.5.1.4.1.1.1", "MG", "1.2.840.10008.5.1.4.1.1.1.2",
            "NM", "1.2.840.10008.5.1.4.1.1.20");
    private static final Map<String, String> BODY_PART = Map.ofEntries(
            Map.entry("chest", "CHEST"), Map.entry("lung", "LUNG"), Map.entry("head", "HEAD"), Map.entry("brain", "BRAIN"),
            Map.entry("abdomen", "ABDOMEN"), Map.entry("upper-abdomen", "ABDOMEN"), Map.entry("lower-abdomen", "ABDOMEN"),
            Map.entry("pelvis", "PELVIS"), Map.entry("lumbar-spine", "LSPINE"), Map.entry("cervical-spine", "CSPINE"),
            Map.entry("knee", "KNEE"), Map.entry("hip", "HIP"), Map.entry("ankle", "ANKLE"), Map.entry("wrist", "WRIST"),
            Map.entry("hand", "HAND"), Map.entry("foot", "FOOT"), Map.entry("shoulder", "SHOULDER"),
            Map.entry("breast", "BREAST"), Map.entry("thyroid", "NECK"), Map.entry("neck", "NECK"),
            Map.entry("kidney", "KIDNEY"), Map.entry("prostate", "PROSTATE"), Map.entry("heart", "HEART"),
            Map.entry("skeleton", "WHOLEBODY"));
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    private DicomHeaders() {
    }

    /** Writes patient {@code p}'s studies under {@code dir/<study uid>/<series number>.dcm}; returns the files. */
    public static List<Path> write(Path dir, int p, Bsn bsn, Person person, List<NationalStudy> studies) throws IOException {
        List<Path> files = new ArrayList<>();
        for (NationalStudy study : studies) {
            Path studyDir = Files.createDirectories(dir.resolve(study.studyUid()));
            for (int s = 0; s < study.series(); s++) {
                Path file = studyDir.resolve((s + 1) + ".dcm");
                DicomFile.of(dataset(bsn, person, study, s), EXPLICIT_LE).write(file);
                files.add(file);
            }
        }
        return files;
    }

    static Attributes dataset(Bsn bsn, Person person, NationalStudy study, int s) {
        ZonedDateTime when = study.started();
        String sopClass = SOP_CLASS.get(study.dicomModality());
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, study.seriesUid(s) + ".1");
        ds.setString(Tag.StudyDate, VR.DA, DA.format(when));
        ds.setString(Tag.StudyTime, VR.TM, TM.format(when));
        ds.setString(Tag.AccessionNumber, VR.SH, study.accession());
        ds.setString(Tag.Modality, VR.CS, study.dicomModality());
        ds.setString(Tag.InstitutionName, VR.LO, study.site().name());
        ds.setString(Tag.StudyDescription, VR.LO, study.description());
        ds.setString(Tag.PatientName, VR.PN, person.family() + "^" + person.given());
        ds.setString(Tag.PatientID, VR.LO, bsn.value());
        ds.setString(Tag.IssuerOfPatientID, VR.LO, "NLMINBIZA");
        ds.setString(Tag.PatientBirthDate, VR.DA, DA.format(person.birthDate()));
        ds.setString(Tag.PatientSex, VR.CS, String.valueOf(person.sex()));
        ds.setString(Tag.BodyPartExamined, VR.CS, BODY_PART.getOrDefault(study.exam().region(), ""));
        ds.setString(Tag.StudyInstanceUID, VR.UI, study.studyUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, study.seriesUid(s));
        ds.setString(Tag.StudyID, VR.SH, Integer.toString(study.index() + 1));
        ds.setInt(Tag.SeriesNumber, VR.IS, s + 1);
        ds.setInt(Tag.InstanceNumber, VR.IS, 1);
        String side = switch (study.laterality()) {
            case LEFT -> "L";
            case RIGHT -> "R";
            case BOTH -> "B";
            case UNKNOWN -> null;
        };
        if (side != null) {
            ds.setString(Tag.Laterality, VR.CS, side);
        }
        return ds;
    }
}
