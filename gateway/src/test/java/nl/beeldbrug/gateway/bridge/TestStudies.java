package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Sequence;
import nl.beeldbrug.adapters.dicom.data.Uids;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Peers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Test studies for the PACS bridge: the pydicom CT/MR samples re-identified with dcmtk's dcmodify (new UIDs,
 * patient ids, body part, accession, today's date), plus an encapsulated PDF report and IOCM rejection notes
 * written with adapters/dicom.
 */
public final class TestStudies {

    public static final String BSN_OID = "2.16.840.1.113883.2.4.6.3";
    public static final String TODAY = LocalDate.now(java.time.ZoneId.of("Europe/Amsterdam")).format(DateTimeFormatter.BASIC_ISO_DATE);

    /** The patient fields: how the BSN is written (or not) into the header. */
    public record Patient(String localId, String issuer, String otherBsn) {
        public static Patient bsnAsPatientId(String bsn) {
            return new Patient(bsn, BSN_OID, null);
        }

        public static Patient bsnInOtherIds(String localId, String bsn) {
            return new Patient(localId, "2.16.528.1.1007.3.3.34000011.2", bsn);
        }
    }

    public record Study(String studyUid, String accession, Patient patient, List<Path> files) {
    }

    private final Path dir;
    private int counter;

    public TestStudies(Path dir) {
        this.dir = dir;
    }

    public Study study(Patient patient, String accession) {
        return new Study(Uids.create(), accession, patient, new ArrayList<>());
    }

    /** Adds a series of {@code count} instances of a sample ("CT_small.dcm", "MR_small.dcm"); returns its files. */
    public List<Path> series(Study study, String sample, String modality, String bodyPart, int count) {
        return series(study, sample, modality, bodyPart, count, TODAY);
    }

    /**
     * As above with another Study Date and further dcmodify arguments (e.g. {@code -i (0028,0301)=YES}); a null
     * {@code bodyPart} erases Body Part Examined.
     */
    public List<Path> series(Study study, String sample, String modality, String bodyPart, int count, String studyDate,
                             String... dcmodify) {
        String seriesUid = Uids.create();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve("i" + (counter++) + ".dcm");
            try {
                Files.createDirectories(dir);
                Files.copy(Peers.sample(sample), f, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            List<String> cmd = new ArrayList<>(List.of(Peers.require("dcmodify", "dcmtk"), "-nb", "-imt", "-gin",
                    "-i", "(0020,000D)=" + study.studyUid(), "-i", "(0020,000E)=" + seriesUid,
                    "-i", "(0010,0020)=" + study.patient().localId(), "-i", "(0010,0021)=" + study.patient().issuer(),
                    "-i", "(0010,0010)=Test^Beeldbrug", "-i", "(0008,0050)=" + study.accession(),
                    "-i", "(0008,0020)=" + studyDate, "-i", "(0008,0030)=093000", "-i", "(0008,0060)=" + modality,
                    bodyPart == null ? "-e" : "-i", bodyPart == null ? "(0018,0015)" : "(0018,0015)=" + bodyPart,
                    "-i", "(0020,0013)=" + (i + 1),
                    "-e", "(0010,1002)"));
            cmd.addAll(List.of(dcmodify));
            if (study.patient().otherBsn() != null) {
                cmd.addAll(List.of("-i", "(0010,1002)[0].(0010,0020)=" + study.patient().otherBsn(),
                        "-i", "(0010,1002)[0].(0010,0021)=" + BSN_OID));
            }
            cmd.add(f.toString());
            Peers.run(cmd.toArray(String[]::new));
            files.add(f);
        }
        study.files().addAll(files);
        return files;
    }

    /** An encapsulated PDF report in a series of its own. */
    public Path pdfReport(Study study) throws IOException {
        Attributes ds = header(study, UID_ENCAPSULATED_PDF, "DOC");
        ds.setString(Tag.MIMETypeOfEncapsulatedDocument, VR.LO, "application/pdf");
        ds.setString(Tag.DocumentTitle, VR.ST, "Verslag");
        ds.setString(Tag.BurnedInAnnotation, VR.CS, "YES");
        byte[] pdf = "%PDF-1.4\n% Beeldbrug test report\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        ds.setBytes(Tag.EncapsulatedDocument, VR.OB, pdf);
        Path f = dir.resolve("pdf" + (counter++) + ".dcm");
        DicomFile.of(ds, UID.ExplicitVRLittleEndian).write(f);
        study.files().add(f);
        return f;
    }

    /** An IOCM rejection note (113001, DCM, "Rejected for Quality Reasons") rejecting every instance of {@code rejected}. */
    public Path rejectionNote(Study study, List<Path> rejected) throws IOException {
        Attributes kos = header(study, UID.KeyObjectSelectionDocumentStorage, "KO");
        Attributes title = kos.newSequence(Tag.ConceptNameCodeSequence).addItem();
        title.setString(Tag.CodeValue, VR.SH, "113001");
        title.setString(Tag.CodingSchemeDesignator, VR.SH, "DCM");
        title.setString(Tag.CodeMeaning, VR.LO, "Rejected for Quality Reasons");
        kos.setString(Tag.ValueType, VR.CS, "CONTAINER");
        Attributes studyItem = kos.newSequence(Tag.CurrentRequestedProcedureEvidenceSequence).addItem();
        studyItem.setString(Tag.StudyInstanceUID, VR.UI, study.studyUid());
        Sequence series = studyItem.newSequence(Tag.ReferencedSeriesSequence);
        java.util.Map<String, List<Attributes>> bySeries = new java.util.LinkedHashMap<>();
        for (Path p : rejected) {
            Attributes ds = DicomFile.read(p).dataset();
            bySeries.computeIfAbsent(ds.getString(Tag.SeriesInstanceUID), k -> new ArrayList<>()).add(ds);
        }
        for (var e : bySeries.entrySet()) {
            Attributes s = series.addItem();
            s.setString(Tag.SeriesInstanceUID, VR.UI, e.getKey());
            Sequence sops = s.newSequence(Tag.ReferencedSOPSequence);
            for (Attributes ds : e.getValue()) {
                Attributes sop = sops.addItem();
                sop.setString(Tag.ReferencedSOPClassUID, VR.UI, ds.getString(Tag.SOPClassUID));
                sop.setString(Tag.ReferencedSOPInstanceUID, VR.UI, ds.getString(Tag.SOPInstanceUID));
            }
        }
        Path f = dir.resolve("kos" + (counter++) + ".dcm");
        DicomFile.of(kos, UID.ExplicitVRLittleEndian).write(f);
        return f;
    }

    static final String UID_ENCAPSULATED_PDF = "1.2.840.10008.5.1.4.1.1.104.1";

    private static Attributes header(Study study, String sopClass, String modality) {
        Attributes ds = new Attributes();
        ds.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        ds.setString(Tag.SOPClassUID, VR.UI, sopClass);
        ds.setString(Tag.SOPInstanceUID, VR.UI, Uids.create());
        ds.setString(Tag.StudyDate, VR.DA, TODAY);
        ds.setString(Tag.StudyTime, VR.TM, "093000");
        ds.setString(Tag.ContentDate, VR.DA, TODAY);
        ds.setString(Tag.ContentTime, VR.TM, "100000");
        ds.setString(Tag.AccessionNumber, VR.SH, study.accession());
        ds.setString(Tag.Modality, VR.CS, modality);
        ds.setString(Tag.PatientName, VR.PN, "Test^Beeldbrug");
        ds.setString(Tag.PatientID, VR.LO, study.patient().localId());
        ds.setString(Tag.IssuerOfPatientID, VR.LO, study.patient().issuer());
        if (study.patient().otherBsn() != null) {
            Attributes other = ds.newSequence(Tag.OtherPatientIDsSequence).addItem();
            other.setString(Tag.PatientID, VR.LO, study.patient().otherBsn());
            other.setString(Tag.IssuerOfPatientID, VR.LO, BSN_OID);
        }
        ds.setString(Tag.StudyInstanceUID, VR.UI, study.studyUid());
        ds.setString(Tag.SeriesInstanceUID, VR.UI, Uids.create());
        ds.setString(Tag.SeriesNumber, VR.IS, "99");
        ds.setString(Tag.InstanceNumber, VR.IS, "1");
        ds.put(Tag.ReferringPhysicianName, VR.PN, null);
        ds.put(Tag.StudyID, VR.SH, null);
        ds.put(Tag.PatientBirthDate, VR.DA, null);
        ds.put(Tag.PatientSex, VR.CS, null);
        ds.setString(Tag.Manufacturer, VR.LO, "Beeldbrug test");
        return ds;
    }
}
