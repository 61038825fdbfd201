package nl.beeldbrug.registry.testing;

import jakarta.activation.DataHandler;
import nl.beeldbrug.registry.patient.Bsn;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.PatientInfo;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Person;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XcnName;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XpnName;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Valid IPF XDS metadata for imaging in the Beeldbrug affinity domain: a submission set with a KOS
 * (XDS-I manifest) and/or a radiology report per study, for one patient (BSN). Every object is
 * complete enough for IPF's ITI-41/42 validators; tests change single attributes through the
 * model's setters. Symbolic entry ids ("Document01"…) are unique within one instance.
 */
public final class SampleMetadata {

    /** Test BSNs (pass the elfproef; not issued to persons). */
    public static final Bsn BSN = Bsn.of("999999990");
    public static final Bsn OTHER_BSN = Bsn.of("111222333");
    public static final Bsn THIRD_BSN = Bsn.of("123456782");

    public static final String REPOSITORY_UNIQUE_ID = "2.16.528.1.1007.99.217.1";
    public static final String SOURCE_ID = "2.16.528.1.1007.99.217.2";

    // code systems
    public static final String LOINC = "2.16.840.1.113883.6.1";
    public static final String SNOMED = "2.16.840.1.113883.6.96";
    public static final String DCM = "1.2.840.10008.2.16.4";
    public static final String DICOM_UIDS = "1.2.840.10008.2.6.1";
    public static final String CONFIDENTIALITY = "2.16.840.1.113883.5.25";
    public static final String FORMAT_IHE = "1.3.6.1.4.1.19376.1.2.3";

    public static final Code CLASS_IMAGING = code("721981007", "Diagnostic studies report", SNOMED);
    public static final Code TYPE_IMAGING_STUDY = code("18748-4", "Diagnostic imaging study", LOINC);
    public static final Code TYPE_RADIOLOGY_REPORT = code("18782-3", "Radiology Study observation", LOINC);
    public static final Code FORMAT_KOS = code("1.2.840.10008.5.1.4.1.1.88.59", "Key Object Selection Document", DICOM_UIDS);
    public static final Code FORMAT_PDF = code("urn:ihe:rad:PDF", "Radiology report PDF", FORMAT_IHE);
    public static final Code CONFIDENTIALITY_NORMAL = code("N", "Normal", CONFIDENTIALITY);
    public static final Code CONFIDENTIALITY_RESTRICTED = code("R", "Restricted", CONFIDENTIALITY);
    public static final Code FACILITY_HOSPITAL = code("22232009", "Hospital", SNOMED);
    public static final Code PRACTICE_RADIOLOGY = code("394914008", "Radiology", SNOMED);
    public static final Code MODALITY_CT = code("CT", "Computed Tomography", DCM);
    public static final Code MODALITY_MR = code("MR", "Magnetic Resonance", DCM);
    public static final Code REGION_CHEST = code("51185008", "Thorax", SNOMED);
    public static final Code REGION_HEAD = code("69536005", "Head", SNOMED);
    public static final Code CONTENT_TYPE_IMAGING = code("4201000179104", "Imaging report", SNOMED);

    /** The default times (UTC): study on 2024-03-01 10:00-10:30, created 10:45, submitted 11:00. */
    public static final ZonedDateTime STUDY_START = ZonedDateTime.of(2024, 3, 1, 10, 0, 0, 0, ZoneOffset.UTC);

    private static final String UID_ROOT = "2.25.";
    private static final AssigningAuthority HOSPITAL_PATIENT_IDS = new AssigningAuthority("2.16.528.1.1007.99.217.3", "ISO");

    private final Bsn bsn;
    private final AtomicInteger documents = new AtomicInteger();
    private final AtomicInteger sets = new AtomicInteger();
    private final AtomicInteger folders = new AtomicInteger();
    private final AtomicInteger associations = new AtomicInteger();
    private final Map<String, byte[]> contents = new HashMap<>();

    private SampleMetadata(Bsn bsn) {
        this.bsn = bsn;
    }

    public static SampleMetadata forPatient(Bsn bsn) {
        return new SampleMetadata(bsn);
    }

    public Bsn bsn() {
        return bsn;
    }

    /** The XDS patient id: the BSN in assigning authority {@link Bsn#OID}. */
    public Identifiable patientId() {
        return patientId(bsn);
    }

    public static Identifiable patientId(Bsn bsn) {
        return new Identifiable(bsn.value(), new AssigningAuthority(Bsn.OID, "ISO"));
    }

    /** A fresh OID-form UID (2.25 + a random UUID as integer), like a DICOM UID. */
    public static String newUid() {
        UUID uuid = UUID.randomUUID();
        ByteBuffer buffer = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return UID_ROOT + new BigInteger(1, buffer.array());
    }

    public static Code code(String code, String displayName, String scheme) {
        return new Code(code, new LocalizedString(displayName, "en-US", "UTF-8"), scheme);
    }

    public static Timestamp time(ZonedDateTime dateTime) {
        return new Timestamp(dateTime, Timestamp.Precision.SECOND);
    }

    /** Referenced study: {@code <uid>^^^^urn:ihe:iti:xds:2013:uniqueId} (CXi without assigning authority). */
    public static ReferenceId studyReference(String studyInstanceUid) {
        return new ReferenceId(studyInstanceUid, null, ReferenceId.ID_TYPE_CODE_UNIQUE_ID);
    }

    /** Accession number in the hospital's assigning authority. */
    public static ReferenceId accessionReference(String accessionNumber) {
        return new ReferenceId(accessionNumber, new CXiAssigningAuthority(null, "2.16.528.1.1007.99.217.4", "ISO"),
                ReferenceId.ID_TYPE_CODE_ACCESSION);
    }

    public static Author radiologist(String familyName, String givenName) {
        Author author = new Author();
        author.setAuthorPerson(new Person(new Identifiable("R" + Math.abs(familyName.hashCode() % 100000),
                new AssigningAuthority("2.16.528.1.1007.3.1", "ISO")),
                new XcnName(familyName, givenName, null, null, null, "dr.")));
        author.getAuthorInstitution().add(new Organization("Ziekenhuis Beeldbrug", "00001234",
                new AssigningAuthority("2.16.528.1.1007.3.3", "ISO")));
        author.getAuthorRole().add(new Identifiable("Radioloog"));
        author.getAuthorSpecialty().add(new Identifiable("0362", new AssigningAuthority("2.16.840.1.113883.2.4.6.7", "ISO")));
        return author;
    }

    // ---------------------------------------------------------------- registry objects

    /** A KOS (XDS-I imaging manifest) for one study, with a symbolic entry id. */
    public DocumentEntry kos(String studyInstanceUid) {
        DocumentEntry entry = baseEntry("KOS " + studyInstanceUid);
        entry.setTitle(new LocalizedString("CT thorax", "nl-NL", "UTF-8"));
        entry.setTypeCode(TYPE_IMAGING_STUDY);
        entry.setFormatCode(FORMAT_KOS);
        entry.setMimeType("application/dicom");
        entry.getEventCodeList().add(MODALITY_CT);
        entry.getEventCodeList().add(REGION_CHEST);
        entry.getReferenceIdList().add(studyReference(studyInstanceUid));
        entry.getReferenceIdList().add(accessionReference("ACC" + Math.abs(studyInstanceUid.hashCode() % 1000000)));
        return entry;
    }

    /** A radiology report (PDF) for one study, with a symbolic entry id. */
    public DocumentEntry report(String studyInstanceUid) {
        DocumentEntry entry = baseEntry("Report " + studyInstanceUid);
        entry.setTitle(new LocalizedString("Verslag CT thorax", "nl-NL", "UTF-8"));
        entry.setTypeCode(TYPE_RADIOLOGY_REPORT);
        entry.setFormatCode(FORMAT_PDF);
        entry.setMimeType("application/pdf");
        entry.getEventCodeList().add(MODALITY_CT);
        entry.getReferenceIdList().add(studyReference(studyInstanceUid));
        return entry;
    }

    private DocumentEntry baseEntry(String contentText) {
        DocumentEntry entry = new DocumentEntry();
        entry.setEntryUuid(String.format("Document%02d", documents.incrementAndGet()));
        entry.setUniqueId(newUid());
        entry.setPatientId(patientId());
        entry.setSourcePatientId(new Identifiable("PAT" + bsn.value().substring(5), HOSPITAL_PATIENT_IDS));
        PatientInfo info = new PatientInfo();
        info.getIds().add(new Identifiable("PAT" + bsn.value().substring(5), HOSPITAL_PATIENT_IDS));
        info.getNames().add(new XpnName("Testpatiënt", "Anna", null, null, null, null));
        info.setGender("F");
        entry.setSourcePatientInfo(info);
        entry.setClassCode(CLASS_IMAGING);
        entry.getConfidentialityCodes().add(CONFIDENTIALITY_NORMAL);
        entry.setHealthcareFacilityTypeCode(FACILITY_HOSPITAL);
        entry.setPracticeSettingCode(PRACTICE_RADIOLOGY);
        entry.setLanguageCode("nl-NL");
        entry.setType(DocumentEntryType.STABLE);
        entry.setCreationTime(time(STUDY_START.plusMinutes(45)));
        entry.setServiceStartTime(time(STUDY_START));
        entry.setServiceStopTime(time(STUDY_START.plusMinutes(30)));
        entry.getAuthors().add(radiologist("Jansen", "Pieter"));
        entry.setLegalAuthenticator(radiologist("Jansen", "Pieter").getAuthorPerson());
        byte[] content = (contentText + " " + entry.getUniqueId()).getBytes(StandardCharsets.UTF_8);
        contents.put(entry.getUniqueId(), content);
        entry.setHash(sha1(content));
        entry.setSize((long) content.length);
        entry.setRepositoryUniqueId(REPOSITORY_UNIQUE_ID);
        return entry;
    }

    /** A submission set with a symbolic entry id, submitted at {@link #STUDY_START} + 1 hour. */
    public SubmissionSet submissionSet() {
        SubmissionSet set = new SubmissionSet();
        set.setEntryUuid(String.format("SubmissionSet%02d", sets.incrementAndGet()));
        set.setUniqueId(newUid());
        set.setSourceId(SOURCE_ID);
        set.setPatientId(patientId());
        set.setSubmissionTime(time(STUDY_START.plusHours(1)));
        set.setContentTypeCode(CONTENT_TYPE_IMAGING);
        set.setTitle(new LocalizedString("Beeldvorming", "nl-NL", "UTF-8"));
        set.getAuthors().add(radiologist("Jansen", "Pieter"));
        return set;
    }

    /** A folder with a symbolic entry id. */
    public Folder folder(Code... codes) {
        Folder folder = new Folder();
        folder.setEntryUuid(String.format("Folder%02d", folders.incrementAndGet()));
        folder.setUniqueId(newUid());
        folder.setPatientId(patientId());
        folder.setTitle(new LocalizedString("Oncologie", "nl-NL", "UTF-8"));
        folder.getCodeList().addAll(codes.length == 0 ? List.of(PRACTICE_RADIOLOGY) : List.of(codes));
        return folder;
    }

    /** An association with a symbolic entry id (and no label: see {@link #membership}). */
    public Association association(AssociationType type, String sourceUuid, String targetUuid) {
        return new Association(type, String.format("Association%02d", associations.incrementAndGet()), sourceUuid, targetUuid);
    }

    /** SubmissionSet HasMember of a document entry submitted with it (SubmissionSetStatus "Original"). */
    public Association membership(SubmissionSet set, DocumentEntry entry) {
        Association association = association(AssociationType.HAS_MEMBER, set.getEntryUuid(), entry.getEntryUuid());
        association.setLabel(AssociationLabel.ORIGINAL);
        return association;
    }

    // ---------------------------------------------------------------- requests

    /** ITI-42: the submission set, the entries, and a SubmissionSet HasMember association for each. */
    public RegisterDocumentSet register(SubmissionSet set, DocumentEntry... entries) {
        RegisterDocumentSet request = new RegisterDocumentSet();
        request.setSubmissionSet(set);
        for (DocumentEntry entry : entries) {
            request.getDocumentEntries().add(entry);
            request.getAssociations().add(membership(set, entry));
        }
        return request;
    }

    /** ITI-42 with a new submission set. */
    public RegisterDocumentSet register(DocumentEntry... entries) {
        return register(submissionSet(), entries);
    }

    /** Adds a folder (and its SubmissionSet HasMember) containing {@code members} to a request. */
    public Folder addFolder(RegisterDocumentSet request, DocumentEntry... members) {
        Folder folder = folder();
        request.getFolders().add(folder);
        String setUuid = request.getSubmissionSet().getEntryUuid();
        request.getAssociations().add(association(AssociationType.HAS_MEMBER, setUuid, folder.getEntryUuid()));
        for (DocumentEntry member : members) {
            Association membership = association(AssociationType.HAS_MEMBER, folder.getEntryUuid(), member.getEntryUuid());
            request.getAssociations().add(membership);
            request.getAssociations().add(association(AssociationType.HAS_MEMBER, setUuid, membership.getEntryUuid()));
        }
        return folder;
    }

    /**
     * ITI-41: the same content as {@link #register(SubmissionSet, DocumentEntry...)}, with each entry's
     * document bytes attached; hash and size are left to the repository.
     */
    public ProvideAndRegisterDocumentSet provideAndRegister(SubmissionSet set, DocumentEntry... entries) {
        RegisterDocumentSet registration = register(set, entries);
        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        request.setSubmissionSet(set);
        for (DocumentEntry entry : entries) {
            entry.setHash(null);
            entry.setSize(null);
            entry.setRepositoryUniqueId(null);
            request.getDocuments().add(new Document(entry, dataHandler(contentOf(entry), entry.getMimeType())));
        }
        request.getAssociations().addAll(registration.getAssociations());
        return request;
    }

    /** The bytes of an entry made by this instance (its hash and size are set from them). */
    public byte[] contentOf(DocumentEntry entry) {
        byte[] content = contents.get(entry.getUniqueId());
        if (content == null) {
            throw new IllegalArgumentException("no sample content for " + entry.getUniqueId());
        }
        return content.clone();
    }

    public static DataHandler dataHandler(byte[] bytes, String mimeType) {
        String type = mimeType == null ? "application/octet-stream" : mimeType;
        return new DataHandler(new jakarta.activation.DataSource() {
            @Override
            public java.io.InputStream getInputStream() {
                return new java.io.ByteArrayInputStream(bytes);
            }

            @Override
            public java.io.OutputStream getOutputStream() {
                throw new UnsupportedOperationException("read-only");
            }

            @Override
            public String getContentType() {
                return type;
            }

            @Override
            public String getName() {
                return "document";
            }
        });
    }

    public static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
