package nl.beeldbrug.registry.imaging;

import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a DocumentEntry says about the imaging study it belongs to (XDS-I.b): the Study Instance UID
 * and accession number(s) of its referenceIdList, the modality (DCM) and body region (SNOMED CT)
 * codes of its eventCodeList, its serviceStartTime, and whether it is the study's KOS manifest or a
 * report. Copied into indexed columns of {@code registry_object} at registration; the SQL of
 * migration V4 applies the same rules to rows stored before.
 *
 * @param studyInstanceUid the first referenceId of type {@value #STUDY_INSTANCE_UID_TYPE}, or null
 *                         when the entry belongs to no study (then every other field is empty)
 * @param accessionKeys    each accession number as its value and, when its issuer is known, as
 *                         {@code urn:oid:<issuer>|value} (both forms are searchable)
 * @param modalityCodes    distinct DICOM modality codes, sorted
 * @param bodySiteCodes    distinct SNOMED CT codes, sorted
 */
public record StudyAttributes(String studyInstanceUid, List<String> accessionKeys, List<String> modalityCodes,
                              List<String> bodySiteCodes, Instant serviceStart, Role role) {

    public static final String STUDY_INSTANCE_UID_TYPE = ReferenceId.ID_TYPE_STUDY_INSTANCE_ID;
    public static final String ACCESSION_TYPE = ReferenceId.ID_TYPE_CODE_ACCESSION;
    /** DICOM Controlled Terminology (PS3.16), the modality codes of an XDS-I eventCodeList. */
    public static final String DCM = "1.2.840.10008.2.16.4";
    /** SNOMED CT, the body region codes of an XDS-I eventCodeList. */
    public static final String SNOMED = "2.16.840.1.113883.6.96";
    /** Key Object Selection Document Storage SOP class: the formatCode of an XDS-I manifest. */
    public static final String KOS_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.88.59";

    /** A study's documents: the KOS manifest (images retrievable) or a report (anything else). */
    public enum Role {
        MANIFEST("manifest"), REPORT("report");

        private final String column;

        Role(String column) {
            this.column = column;
        }

        public String column() {
            return column;
        }
    }

    private static final StudyAttributes NONE = new StudyAttributes(null, List.of(), List.of(), List.of(), null, null);

    /** The study attributes of an entry; {@link #belongsToStudy()} is false when it names no study. */
    public static StudyAttributes of(DocumentEntry entry) {
        Optional<String> uid = entry.getReferenceIdList().stream()
                .filter(r -> STUDY_INSTANCE_UID_TYPE.equals(r.getIdTypeCode()) && notBlank(r.getId()))
                .map(ReferenceId::getId)
                .findFirst();
        if (uid.isEmpty()) {
            return NONE;
        }
        List<String> accessions = new ArrayList<>();
        for (ReferenceId ref : entry.getReferenceIdList()) {
            if (ACCESSION_TYPE.equals(ref.getIdTypeCode()) && notBlank(ref.getId())) {
                accessions.add(ref.getId());
                String issuer = ref.getAssigningAuthority() == null ? null : ref.getAssigningAuthority().getUniversalId();
                if (notBlank(issuer)) {
                    accessions.add(accessionKey(issuer, ref.getId()));
                }
            }
        }
        Instant start = entry.getServiceStartTime() == null || entry.getServiceStartTime().getDateTime() == null
                ? null : entry.getServiceStartTime().getDateTime().toInstant();
        return new StudyAttributes(uid.get(), List.copyOf(accessions), codes(entry, DCM), codes(entry, SNOMED), start,
                isManifest(entry) ? Role.MANIFEST : Role.REPORT);
    }

    /** The searchable form of an issued accession number. */
    public static String accessionKey(String issuerOid, String value) {
        return "urn:oid:" + issuerOid + "|" + value;
    }

    public boolean belongsToStudy() {
        return studyInstanceUid != null;
    }

    /** An XDS-I manifest: its formatCode is the KOS SOP class (possibly as a URN ending in it). */
    public static boolean isManifest(DocumentEntry entry) {
        Code format = entry.getFormatCode();
        return format != null && format.getCode() != null && format.getCode().endsWith(KOS_SOP_CLASS);
    }

    private static List<String> codes(DocumentEntry entry, String scheme) {
        TreeSet<String> codes = new TreeSet<>();
        for (Code code : entry.getEventCodeList()) {
            if (scheme.equals(code.getSchemeName()) && notBlank(code.getCode())) {
                codes.add(code.getCode());
            }
        }
        return List.copyOf(codes);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isEmpty();
    }
}
