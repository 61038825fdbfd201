package nl.beeldbrug.registry.demo;

import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.PatientIds;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.*;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic synthetic imaging data: organisations (hospitals and ZDCs with URAs), patients
 * with valid test BSNs (the 99999xxxx range) and studies, each as the XDS-I metadata Beeldbrug
 * registers: a KOS manifest entry (images stay at the source) and a radiology report entry.
 * The same seed always yields the same data, so loading is idempotent.
 */
public final class SyntheticStudies {

    /** An organisation that performs imaging. */
    public record Site(String ura, String name, boolean hospital) {
        public Organization asInstitution() {
            return new Organization(name, ura, new AssigningAuthority("2.16.528.1.1007.3.3"));
        }

        public String repositoryUniqueId() {
            return "2.16.528.1.1007.3.3." + ura + ".1";
        }
    }

    /** One exam kind: modality (DICOM code), body region (SNOMED CT), Dutch description. */
    public record ExamKind(String modality, String regionCode, String regionName, String description) {
    }

    /**
     * A generated study: the KOS manifest entry and its report (text), sharing the referenceIdList. {@code report}
     * and {@code reportText} are null for a study without a report (made by {@link #study(String, String, String,
     * Bsn, Site, ExamKind, ZonedDateTime, long, String)} with no text).
     */
    public record Study(Bsn patient, Site site, SubmissionSet submissionSet, DocumentEntry manifest,
                       DocumentEntry report, String reportText) {
    }

    public static final List<Site> SITES = List.of(
            new Site("12000001", "Ziekenhuis Amstelland (demo)", true),
            new Site("12000002", "Maasstad Ziekenhuis (demo)", true),
            new Site("12000003", "Ziekenhuis Gelderse Vallei (demo)", true),
            new Site("12000004", "UMC Noord (demo)", true),
            new Site("34000011", "ZDC Beeldvorming Utrecht (demo)", false),
            new Site("34000012", "ZDC MRI Centrum Eindhoven (demo)", false),
            new Site("34000013", "ZDC Echo & Röntgen Zwolle (demo)", false));

    static final List<ExamKind> EXAMS = List.of(
            new ExamKind("CT", "51185008", "Thorax", "CT thorax"),
            new ExamKind("CT", "818983003", "Abdomen", "CT abdomen met contrast"),
            new ExamKind("CT", "69536005", "Hoofd", "CT cerebrum"),
            new ExamKind("MR", "72696002", "Knie", "MRI knie links"),
            new ExamKind("MR", "421060004", "Wervelkolom", "MRI LWK"),
            new ExamKind("MR", "69536005", "Hoofd", "MRI hersenen"),
            new ExamKind("US", "818983003", "Abdomen", "Echo bovenbuik"),
            new ExamKind("US", "76752008", "Mamma", "Echo mamma rechts"),
            new ExamKind("CR", "51185008", "Thorax", "X-thorax"),
            new ExamKind("CR", "72696002", "Knie", "X-knie rechts"),
            new ExamKind("MG", "76752008", "Mamma", "Mammografie beiderzijds"),
            new ExamKind("NM", "272673000", "Skelet", "Skeletscintigrafie"));

    private static final String DCM = "1.2.840.10008.2.16.4";
    private static final String SNOMED = "2.16.840.1.113883.6.96";
    private static final String LOINC = "2.16.840.1.113883.6.1";

    private SyntheticStudies() {
    }

    /** The first {@code count} valid BSNs of the test range 999990000–999999999. */
    public static List<Bsn> patients(int count) {
        List<Bsn> result = new ArrayList<>();
        for (int n = 999_990_000; n <= 999_999_999 && result.size() < count; n++) {
            Bsn.parse(Integer.toString(n)).ifPresent(result::add);
        }
        return result;
    }

    /** {@code count} studies spread over {@code patients}, deterministic for a seed. */
    public static List<Study> studies(int count, List<Bsn> patients, long seed, ZonedDateTime now) {
        Random random = new Random(seed);
        List<Study> studies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Bsn patient = patients.get(random.nextInt(patients.size()));
            Site site = SITES.get(random.nextInt(SITES.size()));
            ExamKind exam = EXAMS.get(random.nextInt(EXAMS.size()));
            ZonedDateTime when = now.minusMinutes(random.nextInt(5 * 365 * 24 * 60)).withZoneSameInstant(ZoneOffset.UTC);
            studies.add(study(seed, i, patient, site, exam, when));
        }
        return studies;
    }

    private static Study study(long seed, int index, Bsn patient, Site site, ExamKind exam, ZonedDateTime when) {
        String studyUid = "2.25." + Long.toUnsignedString(seed) + "1" + index;
        String accession = "ACC" + seed % 1000 + "-" + index;
        return study(studyUid, "2.25." + Long.toUnsignedString(seed) + "2" + index, accession, patient, site, exam, when,
                4096L + index, demoReport(site, exam));
    }

    private static String demoReport(Site site, ExamKind exam) {
        return "Verslag " + exam.description() + "\nUitgevoerd bij " + site.name()
                + "\nConclusie: geen afwijkingen (synthetisch demoverslag).\n";
    }

    /**
     * One study with the given identifiers (the benchmark corpora): the manifest's uniqueId is {@code studyUid.1},
     * the report's {@code studyUid.2}; {@code reportText} null gives a study without a report.
     */
    public static Study study(String studyUid, String submissionSetUid, String accession, Bsn patient, Site site,
                              ExamKind exam, ZonedDateTime when, long manifestSize, String reportText) {
        Identifiable patientId = PatientIds.of(patient);

        SubmissionSet set = new SubmissionSet();
        set.setEntryUuid("SubmissionSet");
        set.setUniqueId(submissionSetUid);
        set.setSourceId("2.16.528.1.1007.3.3." + site.ura());
        set.setPatientId(patientId);
        set.setSubmissionTime(new Timestamp(when.plusHours(2), Timestamp.Precision.SECOND));
        set.setContentTypeCode(new Code("18748-4", new LocalizedString("Diagnostic imaging study"), LOINC));
        set.getAuthors().add(author(site));

        DocumentEntry manifest = entry("Manifest", studyUid + ".1", patientId, site, exam, when, studyUid, accession);
        manifest.setMimeType("application/dicom");
        manifest.setFormatCode(new Code("1.2.840.10008.5.1.4.1.1.88.59",
                new LocalizedString("Key Object Selection Document"), "1.2.840.10008.2.6.1"));
        manifest.setClassCode(new Code("18748-4", new LocalizedString("Diagnostic imaging study"), LOINC));
        manifest.setTypeCode(new Code("18748-4", new LocalizedString("Diagnostic imaging study"), LOINC));
        manifest.setTitle(new LocalizedString(exam.description(), "nl-NL", "UTF-8"));
        manifest.setRepositoryUniqueId(site.repositoryUniqueId());
        manifest.setHash(String.format("%040x", (long) studyUid.hashCode() & 0xffffffffL));
        manifest.setSize(manifestSize);
        if (reportText == null) {
            return new Study(patient, site, set, manifest, null, null);
        }

        DocumentEntry report = entry("Report", studyUid + ".2", patientId, site, exam, when.plusHours(2), studyUid, accession);
        report.setMimeType("text/plain");
        report.setFormatCode(new Code("urn:ihe:iti:xds:2017:mimeTypeSufficient",
                new LocalizedString("mimeType Sufficient"), "1.3.6.1.4.1.19376.1.2.3"));
        report.setClassCode(new Code("18782-3", new LocalizedString("Radiology Study observation (narrative)"), LOINC));
        report.setTypeCode(new Code("18782-3", new LocalizedString("Radiology Study observation (narrative)"), LOINC));
        report.setTitle(new LocalizedString("Verslag " + exam.description(), "nl-NL", "UTF-8"));
        return new Study(patient, site, set, manifest, report, reportText);
    }

    private static DocumentEntry entry(String symbolicId, String uniqueId, Identifiable patientId, Site site, ExamKind exam,
                                       ZonedDateTime when, String studyUid, String accession) {
        DocumentEntry entry = new DocumentEntry();
        entry.setEntryUuid(symbolicId);
        entry.setUniqueId(uniqueId);
        entry.setPatientId(patientId);
        entry.setSourcePatientId(new Identifiable("LOCAL" + Math.abs(studyUid.hashCode() % 100000),
                new AssigningAuthority("2.16.528.1.1007.3.3." + site.ura() + ".2")));
        entry.setCreationTime(new Timestamp(when, Timestamp.Precision.SECOND));
        entry.setServiceStartTime(new Timestamp(when, Timestamp.Precision.SECOND));
        entry.setLanguageCode("nl-NL");
        entry.getAuthors().add(author(site));
        entry.getConfidentialityCodes().add(new Code("N", new LocalizedString("normal"), "2.16.840.1.113883.5.25"));
        entry.getEventCodeList().add(new Code(exam.modality(), new LocalizedString(exam.modality()), DCM));
        entry.getEventCodeList().add(new Code(exam.regionCode(), new LocalizedString(exam.regionName()), SNOMED));
        entry.setHealthcareFacilityTypeCode(site.hospital()
                ? new Code("V4", new LocalizedString("Ziekenhuis"), "2.16.840.1.113883.2.4.15.1060")
                : new Code("Z5", new LocalizedString("Diagnostisch centrum"), "2.16.840.1.113883.2.4.15.1060"));
        entry.setPracticeSettingCode(new Code("0362", new LocalizedString("Radiologie"), "2.16.840.1.113883.2.4.6.7"));
        entry.getReferenceIdList().add(new ReferenceId(studyUid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        entry.getReferenceIdList().add(new ReferenceId(accession,
                new CXiAssigningAuthority(null, "2.16.528.1.1007.3.3." + site.ura(), "ISO"), ReferenceId.ID_TYPE_CODE_ACCESSION));
        return entry;
    }

    private static Author author(Site site) {
        Author author = new Author();
        author.getAuthorInstitution().add(site.asInstitution());
        author.getAuthorRole().add(new Identifiable("Radioloog"));
        return author;
    }
}
