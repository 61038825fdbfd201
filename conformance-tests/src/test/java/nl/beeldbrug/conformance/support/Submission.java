package nl.beeldbrug.conformance.support;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Person;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XpnName;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds complete, valid XDS.b submissions in IPF's simplified model for one patient: every object gets
 * a fresh random uniqueId (2.25.&lt;uuid&gt;) and entryUUID, so tests never collide with each other or
 * with the demo data. Defaults are realistic radiology values; tests change what they exercise.
 */
public final class Submission {

    /** Assigning authority of the BSN (the affinity domain's patient id). */
    public static final String BSN_OID = "2.16.840.1.113883.2.4.6.3";
    /** The gateway's own repositoryUniqueId (its default configuration). */
    public static final String REPOSITORY = "2.16.528.1.1007.3.3.99999999.1.1";
    /** A repository elsewhere (a PACS that keeps its images): for registry-only ITI-42 entries. */
    public static final String REMOTE_REPOSITORY = "2.16.528.1.1007.3.3.12000001.9";

    public static final Code CLASS_IMAGES = code("IMAGES", "1.3.6.1.4.1.19376.1.2.6.1", "Images");
    public static final Code CLASS_REPORT = code("REPORTS", "1.3.6.1.4.1.19376.1.2.6.1", "Reports");
    public static final Code TYPE_CT = code("18748-4", "2.16.840.1.113883.6.1", "Diagnostic imaging study");
    public static final Code TYPE_REPORT = code("18782-3", "2.16.840.1.113883.6.1", "Radiology Study observation");
    public static final Code PRACTICE_RADIOLOGY = code("0362", "2.16.840.1.113883.2.4.6.7", "Radiologie");
    public static final Code PRACTICE_CARDIOLOGY = code("0320", "2.16.840.1.113883.2.4.6.7", "Cardiologie");
    public static final Code FACILITY_HOSPITAL = code("V4", "2.16.840.1.113883.2.4.15.1060", "Ziekenhuis");
    public static final Code FACILITY_ZDC = code("Z3", "2.16.840.1.113883.2.4.15.1060", "Zelfstandig diagnostisch centrum");
    public static final Code FORMAT_KOS = code("1.2.840.10008.5.1.4.1.1.88.59", "1.2.840.10008.2.6.1", "KOS");
    public static final Code FORMAT_TEXT = code("urn:ihe:iti:xds:2017:mimeTypeSufficient", "1.3.6.1.4.1.19376.1.2.3", "mimeType Sufficient");
    public static final Code EVENT_CT = code("CT", "1.2.840.10008.2.16.4", "Computed Tomography");
    public static final Code EVENT_MR = code("MR", "1.2.840.10008.2.16.4", "Magnetic Resonance");
    public static final Code EVENT_THORAX = code("51185008", "2.16.840.1.113883.6.96", "Thorax");
    public static final Code CONFIDENTIALITY_NORMAL = code("N", "2.16.840.1.113883.5.25", "normal");
    public static final Code CONTENT_TYPE = code("18748-4", "2.16.840.1.113883.6.1", "Diagnostic imaging study");
    public static final Code FOLDER_CODE = code("episode", "2.16.528.1.1007.3.3.99999999.5", "Episode");

    private final Identifiable patientId;
    private final SubmissionSet submissionSet;
    private final List<DocumentEntry> entries = new ArrayList<>();
    private final Map<String, byte[]> contents = new LinkedHashMap<>();
    private final List<Folder> folders = new ArrayList<>();
    private final List<Association> associations = new ArrayList<>();

    private Submission(Identifiable patientId) {
        this.patientId = patientId;
        this.submissionSet = submissionSet(patientId);
    }

    /** A submission for a BSN in the affinity domain. */
    public static Submission forPatient(String bsn) {
        return new Submission(patientId(bsn));
    }

    /** A submission for any patient id (another assigning authority, an invalid BSN, ...). */
    public static Submission forPatient(Identifiable patientId) {
        return new Submission(patientId);
    }

    public static Identifiable patientId(String bsn) {
        return new Identifiable(bsn, new AssigningAuthority(BSN_OID));
    }

    /** A fresh OID under 2.25 (UUID-derived): unique per call, across runs. */
    public static String uid() {
        UUID uuid = UUID.randomUUID();
        BigInteger value = new BigInteger(1, HexFormat.of().parseHex(uuid.toString().replace("-", "")));
        return "2.25." + value;
    }

    public static String uuid() {
        return "urn:uuid:" + UUID.randomUUID();
    }

    public static Code code(String code, String scheme, String displayName) {
        return new Code(code, new LocalizedString(displayName, "en-US", "UTF-8"), scheme);
    }

    public static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Identifiable patientId() {
        return patientId;
    }

    public SubmissionSet submissionSet() {
        return submissionSet;
    }

    public List<DocumentEntry> entries() {
        return entries;
    }

    public List<Folder> folders() {
        return folders;
    }

    public List<Association> associations() {
        return associations;
    }

    public byte[] content(DocumentEntry entry) {
        return contents.get(entry.getEntryUuid());
    }

    /** A document entry (text/plain report) with the given content, member of the submission set (Original). */
    public DocumentEntry document(String text) {
        return document(text.getBytes(StandardCharsets.UTF_8));
    }

    public DocumentEntry document(byte[] content) {
        DocumentEntry entry = documentEntry(patientId);
        entry.setHash(sha1(content));
        entry.setSize((long) content.length);
        entries.add(entry);
        contents.put(entry.getEntryUuid(), content);
        associations.add(hasMember(submissionSet.getEntryUuid(), entry.getEntryUuid(), AssociationLabel.ORIGINAL));
        return entry;
    }

    /**
     * A registry-only entry (ITI-42): a KOS manifest whose bytes stay in a remote repository, with the
     * hash and size the registry requires.
     */
    public DocumentEntry registryEntry() {
        byte[] pretend = ("KOS " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        DocumentEntry entry = documentEntry(patientId);
        entry.setMimeType("application/dicom");
        entry.setClassCode(CLASS_IMAGES);
        entry.setTypeCode(TYPE_CT);
        entry.setFormatCode(FORMAT_KOS);
        entry.setHash(sha1(pretend));
        entry.setSize((long) pretend.length);
        entry.setRepositoryUniqueId(REMOTE_REPOSITORY);
        entries.add(entry);
        associations.add(hasMember(submissionSet.getEntryUuid(), entry.getEntryUuid(), AssociationLabel.ORIGINAL));
        return entry;
    }

    /** A new folder in this submission (with its submission set membership). */
    public Folder folder() {
        Folder folder = new Folder();
        folder.setEntryUuid(uuid());
        folder.setUniqueId(uid());
        folder.setPatientId(patientId);
        folder.setTitle(new LocalizedString("Episode " + folder.getUniqueId().substring(5, 12), "nl-NL", "UTF-8"));
        folder.getCodeList().add(FOLDER_CODE);
        folders.add(folder);
        associations.add(hasMember(submissionSet.getEntryUuid(), folder.getEntryUuid(), null));
        return folder;
    }

    /**
     * Puts a document entry (new or registered) into a folder (new or registered): the Folder HasMember
     * association and the submission set's membership of that association.
     */
    public Association addToFolder(String folderUuid, String entryUuid) {
        Association membership = hasMember(folderUuid, entryUuid, null);
        associations.add(membership);
        associations.add(hasMember(submissionSet.getEntryUuid(), membership.getEntryUuid(), null));
        return membership;
    }

    /** A submission set membership of an already registered object (label Reference). */
    public Association reference(String targetUuid) {
        Association association = hasMember(submissionSet.getEntryUuid(), targetUuid, AssociationLabel.REFERENCE);
        associations.add(association);
        return association;
    }

    /** A document relationship (RPLC, APND, XFRM, XFRM_RPLC, signs) from {@code source} to {@code target}. */
    public Association relate(AssociationType type, String sourceUuid, String targetUuid) {
        Association association = new Association(type, uuid(), sourceUuid, targetUuid);
        associations.add(association);
        return association;
    }

    public Association add(Association association) {
        associations.add(association);
        return association;
    }

    public static Association hasMember(String source, String target, AssociationLabel label) {
        Association association = new Association(AssociationType.HAS_MEMBER, uuid(), source, target);
        association.setLabel(label);
        return association;
    }

    /** The ITI-41 request: documents with their bytes. */
    public ProvideAndRegisterDocumentSet provideAndRegister() {
        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        request.setSubmissionSet(submissionSet);
        for (DocumentEntry entry : entries) {
            byte[] content = contents.get(entry.getEntryUuid());
            request.getDocuments().add(new Document(entry, new DataHandler(new Bytes(content, entry.getMimeType()))));
        }
        request.getFolders().addAll(folders);
        request.getAssociations().addAll(associations);
        return request;
    }

    /** The ITI-42 request (or the ITI-57 one): metadata only. */
    public RegisterDocumentSet register() {
        RegisterDocumentSet request = new RegisterDocumentSet();
        request.setSubmissionSet(submissionSet);
        request.getDocumentEntries().addAll(entries);
        request.getFolders().addAll(folders);
        request.getAssociations().addAll(associations);
        return request;
    }

    private static SubmissionSet submissionSet(Identifiable patientId) {
        SubmissionSet set = new SubmissionSet();
        set.setEntryUuid(uuid());
        set.setUniqueId(uid());
        set.setSourceId("2.16.528.1.1007.3.3.12000001");
        set.setPatientId(patientId);
        set.setSubmissionTime("20261120101600");
        set.setContentTypeCode(CONTENT_TYPE);
        set.setTitle(new LocalizedString("Conformance submission", "nl-NL", "UTF-8"));
        set.getAuthors().add(author("Jansen"));
        return set;
    }

    public static Author author(String familyName) {
        Author author = new Author();
        XpnName name = new XpnName();
        name.setFamilyName(familyName);
        name.setGivenName("Anna");
        author.setAuthorPerson(new Person(new Identifiable("R" + familyName.length() + "001",
                new AssigningAuthority("2.16.528.1.1007.3.1")), name));
        author.getAuthorInstitution().add(new Organization("Ziekenhuis Amstelland (demo)", "12000001", new AssigningAuthority("2.16.528.1.1007.3.3")));
        author.getAuthorRole().add(new Identifiable("Radioloog"));
        return author;
    }

    private static DocumentEntry documentEntry(Identifiable patientId) {
        DocumentEntry entry = new DocumentEntry();
        entry.setEntryUuid(uuid());
        entry.setUniqueId(uid());
        entry.setPatientId(patientId);
        entry.setSourcePatientId(new Identifiable("PAT-" + UUID.randomUUID().toString().substring(0, 8),
                new AssigningAuthority("2.16.528.1.1007.3.3.12000001.2")));
        entry.setMimeType("text/plain");
        entry.setClassCode(CLASS_REPORT);
        entry.setTypeCode(TYPE_REPORT);
        entry.setFormatCode(FORMAT_TEXT);
        entry.setPracticeSettingCode(PRACTICE_RADIOLOGY);
        entry.setHealthcareFacilityTypeCode(FACILITY_HOSPITAL);
        entry.getConfidentialityCodes().add(CONFIDENTIALITY_NORMAL);
        entry.getEventCodeList().add(EVENT_CT);
        entry.getEventCodeList().add(EVENT_THORAX);
        entry.setLanguageCode("nl-NL");
        entry.setCreationTime("20261120101500");
        entry.setServiceStartTime("20261120093000");
        entry.setServiceStopTime("20261120094500");
        entry.setTitle(new LocalizedString("Verslag CT thorax", "nl-NL", "UTF-8"));
        entry.getAuthors().add(author("Jansen"));
        String study = uid();
        entry.getReferenceIdList().add(new ReferenceId(study, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        return entry;
    }

    /** Document bytes for a DataHandler. */
    private record Bytes(byte[] content, String mimeType) implements DataSource {
        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(content);
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return mimeType == null ? "application/octet-stream" : mimeType;
        }

        @Override
        public String getName() {
            return "document";
        }
    }
}
