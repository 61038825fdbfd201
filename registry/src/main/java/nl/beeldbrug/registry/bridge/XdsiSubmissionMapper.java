package nl.beeldbrug.registry.bridge;

import jakarta.activation.DataHandler;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.BytesDataSource;
import nl.beeldbrug.registry.xds.PatientIds;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.PatientInfo;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XpnName;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Maps a study of a connected archive to the ITI-41 (RAD-68) submission that registers it in XDS-I.b: the KOS
 * manifest with BSN patient id and the archive's local id as sourcePatientId, eventCodeList (modality DCM codes
 * and SNOMED CT body region), referenceIdList (Study Instance UID, accession number), serviceStartTime, author
 * institution (URA); a later version replaces the earlier (RPLC). A report instance maps to a document of its
 * own that shares the study's referenceIdList. Pure: time from the clock, UUIDs random.
 */
public final class XdsiSubmissionMapper {

    /** Study Date/Time carry no zone: Dutch archives record local time. */
    public static final ZoneId ARCHIVE_ZONE = ZoneId.of("Europe/Amsterdam");
    private static final String SOURCE_ID_ROOT = BridgeSource.URA_OID + ".";

    private final Clock clock;

    public XdsiSubmissionMapper(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param manifestUid       SOP Instance UID of the KOS (the entry's uniqueId)
     * @param replacesEntryUuid the current manifest's entryUUID, replaced by this one; null for the first
     */
    public ProvideAndRegisterDocumentSet manifest(BridgeSource source, ArchiveStudy study, Bsn bsn, String manifestUid,
                                                  byte[] kos, String replacesEntryUuid) {
        DocumentEntry entry = entry(source, study, bsn, manifestUid);
        entry.setTitle(new LocalizedString(title(study), "nl-NL", "UTF-8"));
        entry.setClassCode(XdsiCodes.IMAGING_STUDY);
        entry.setTypeCode(XdsiCodes.IMAGING_STUDY);
        entry.setFormatCode(XdsiCodes.KOS_FORMAT);
        entry.setMimeType("application/dicom");
        return submission(source, bsn, entry, kos, replacesEntryUuid);
    }

    /** A report instance (SR as DICOM, or the PDF of an encapsulated PDF) as a document of its own. */
    public ProvideAndRegisterDocumentSet report(BridgeSource source, ArchiveStudy study, Bsn bsn, ArchiveInstance report,
                                                byte[] content, String mimeType) {
        DocumentEntry entry = entry(source, study, bsn, report.sopInstanceUid());
        entry.setTitle(new LocalizedString("Verslag " + title(study), "nl-NL", "UTF-8"));
        entry.setClassCode(XdsiCodes.RADIOLOGY_REPORT);
        entry.setTypeCode(XdsiCodes.RADIOLOGY_REPORT);
        entry.setFormatCode("application/pdf".equals(mimeType) ? XdsiCodes.PDF_FORMAT
                : XdsiCodes.code(report.sopClassUid(), "DICOM SR", XdsiCodes.DICOM_UIDS));
        entry.setMimeType(mimeType);
        return submission(source, bsn, entry, content, null);
    }

    private ProvideAndRegisterDocumentSet submission(BridgeSource source, Bsn bsn, DocumentEntry entry, byte[] content,
                                                     String replacesEntryUuid) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        SubmissionSet set = new SubmissionSet();
        set.setEntryUuid(newUuid());
        set.setUniqueId(newUid());
        set.setSourceId(SOURCE_ID_ROOT + source.ura());
        set.setPatientId(PatientIds.of(bsn));
        set.setSubmissionTime(new Timestamp(now, Timestamp.Precision.SECOND));
        set.setContentTypeCode(XdsiCodes.IMAGING_STUDY);
        set.setTitle(new LocalizedString("Beeldbrug PACS-koppeling " + source.id(), "nl-NL", "UTF-8"));
        set.getAuthors().add(author(source));

        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        request.setSubmissionSet(set);
        request.getDocuments().add(new Document(entry, new DataHandler(new BytesDataSource(content, entry.getMimeType()))));
        Association member = new Association(AssociationType.HAS_MEMBER, newUuid(), set.getEntryUuid(), entry.getEntryUuid());
        member.setLabel(AssociationLabel.ORIGINAL);
        request.getAssociations().add(member);
        if (replacesEntryUuid != null) {
            request.getAssociations().add(new Association(AssociationType.REPLACE, newUuid(), entry.getEntryUuid(), replacesEntryUuid));
        }
        return request;
    }

    private DocumentEntry entry(BridgeSource source, ArchiveStudy study, Bsn bsn, String uniqueId) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        DocumentEntry entry = new DocumentEntry();
        entry.setEntryUuid(newUuid());
        entry.setUniqueId(uniqueId);
        entry.setPatientId(PatientIds.of(bsn));
        Identifiable local = sourcePatientId(source, study.patient());
        entry.setSourcePatientId(local != null ? local : PatientIds.of(bsn));
        entry.setSourcePatientInfo(patientInfo(study, local != null ? local : PatientIds.of(bsn)));
        entry.getAuthors().add(author(source));
        entry.getConfidentialityCodes().add(XdsiCodes.NORMAL);
        entry.setHealthcareFacilityTypeCode(source.zdc() ? XdsiCodes.DIAGNOSTIC_CENTRE : XdsiCodes.HOSPITAL);
        entry.setPracticeSettingCode(XdsiCodes.RADIOLOGY);
        entry.setLanguageCode("nl-NL");
        entry.setType(DocumentEntryType.STABLE);
        entry.setCreationTime(new Timestamp(now, Timestamp.Precision.SECOND));
        ZonedDateTime start = serviceStart(study);
        if (start != null) {
            entry.setServiceStartTime(new Timestamp(start, study.studyTime() == null || study.studyTime().isBlank()
                    ? Timestamp.Precision.DAY : Timestamp.Precision.SECOND));
        }
        for (String modality : study.modalities()) {
            entry.getEventCodeList().add(XdsiCodes.modality(modality));
        }
        for (String part : study.bodyParts()) {
            XdsiCodes.bodyRegion(part).filter(c -> entry.getEventCodeList().stream().noneMatch(e -> e.getCode().equals(c.getCode())))
                    .ifPresent(entry.getEventCodeList()::add);
        }
        entry.getReferenceIdList().add(new ReferenceId(study.studyInstanceUid(), null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        if (study.accessionNumber() != null && !study.accessionNumber().isBlank()) {
            entry.getReferenceIdList().add(new ReferenceId(study.accessionNumber().trim(),
                    new CXiAssigningAuthority(null, SOURCE_ID_ROOT + source.ura(), "ISO"), ReferenceId.ID_TYPE_CODE_ACCESSION));
        }
        return entry;
    }

    /** The archive's own patient id in its domain (configured, else Issuer of Patient ID when it is an OID). */
    static Identifiable sourcePatientId(BridgeSource source, DicomPatient patient) {
        if (patient.patientId() == null || patient.patientId().isBlank()) {
            return null;
        }
        String domain = source.localPatientDomain();
        if (domain == null && patient.issuerOfPatientId() != null && patient.issuerOfPatientId().trim().matches("[0-2](\\.\\d+)+")) {
            domain = patient.issuerOfPatientId().trim();
        }
        return domain == null ? null : new Identifiable(patient.patientId().trim(), new AssigningAuthority(domain, "ISO"));
    }

    private static PatientInfo patientInfo(ArchiveStudy study, Identifiable id) {
        PatientInfo info = new PatientInfo();
        info.getIds().add(id);
        if (study.patientName() != null && !study.patientName().isBlank()) {
            String[] parts = study.patientName().split("\\^", -1);
            info.getNames().add(new XpnName(part(parts, 0), part(parts, 1), part(parts, 2), part(parts, 4), part(parts, 3), null));
        }
        if (study.patientSex() != null && study.patientSex().matches("[MFO]")) {
            info.setGender(study.patientSex());
        }
        if (study.patientBirthDate() != null && study.patientBirthDate().matches("\\d{8}")) {
            info.setDateOfBirth(study.patientBirthDate());
        }
        return info;
    }

    private static String part(String[] parts, int i) {
        return i < parts.length && !parts[i].isBlank() ? parts[i] : null;
    }

    static ZonedDateTime serviceStart(ArchiveStudy study) {
        if (study.studyDate() == null || !study.studyDate().trim().matches("\\d{8}")) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(study.studyDate().trim(), DateTimeFormatter.BASIC_ISO_DATE);
            LocalTime time = LocalTime.MIDNIGHT;
            String tm = study.studyTime() == null ? "" : study.studyTime().trim();
            if (tm.matches("\\d{2}(\\d{2}(\\d{2})?)?(\\.\\d+)?")) {
                String digits = (tm.split("\\.")[0] + "0000").substring(0, 6);
                time = LocalTime.of(Integer.parseInt(digits.substring(0, 2)), Integer.parseInt(digits.substring(2, 4)),
                        Integer.parseInt(digits.substring(4, 6)));
            }
            return ZonedDateTime.of(date, time, ARCHIVE_ZONE);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static String title(ArchiveStudy study) {
        if (study.studyDescription() != null && !study.studyDescription().isBlank()) {
            return study.studyDescription().trim();
        }
        return String.join("/", study.modalities()) + (study.bodyParts().isEmpty() ? "" : " " + String.join("/", study.bodyParts()).toLowerCase());
    }

    private static Author author(BridgeSource source) {
        Author author = new Author();
        author.getAuthorInstitution().add(new Organization(source.name(), source.ura(), new AssigningAuthority(BridgeSource.URA_OID, "ISO")));
        return author;
    }

    private static String newUuid() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    /** A 2.25 UID from a random UUID. */
    public static String newUid() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
