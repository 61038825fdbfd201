package nl.beeldbrug.registry.imaging;

import java.time.Instant;
import java.util.List;

/**
 * One imaging study of one patient, as the registry knows it: derived from the patient's Approved
 * DocumentEntries (KOS manifests and reports) that share the Study Instance UID. A study appears
 * once however many manifests or reports it has (Twiin).
 *
 * @param accessions    distinct accession numbers of the study's entries
 * @param modalities    distinct DICOM modality codes (scheme {@link StudyAttributes#DCM})
 * @param bodySites     distinct body region codes (scheme {@link StudyAttributes#SNOMED})
 * @param started       the earliest serviceStartTime of the study's entries (null when none has one)
 * @param description   the title of the (newest) KOS manifest, or null without a manifest
 * @param performer     the first author institution of a manifest (else of a report), or null
 * @param manifests     the KOS manifests; empty when only reports are registered so far
 * @param reports       every other document of the study
 * @param contents      the series and instances the study's manifests reference, or null when unknown
 *                      (no manifest, or a manifest whose content was not read: see {@link ManifestContentReader})
 */
public record ImagingStudySummary(String studyInstanceUid, String patientBsn, List<Accession> accessions,
                                  List<CodedValue> modalities, List<CodedValue> bodySites, Instant started,
                                  String description, Organisation performer,
                                  List<StudyDocument> manifests, List<StudyDocument> reports,
                                  ManifestContents contents) {

    public ImagingStudySummary {
        accessions = List.copyOf(accessions);
        modalities = List.copyOf(modalities);
        bodySites = List.copyOf(bodySites);
        manifests = List.copyOf(manifests);
        reports = List.copyOf(reports);
    }

    /** A summary whose series and instances are unknown. */
    public ImagingStudySummary(String studyInstanceUid, String patientBsn, List<Accession> accessions,
                               List<CodedValue> modalities, List<CodedValue> bodySites, Instant started,
                               String description, Organisation performer,
                               List<StudyDocument> manifests, List<StudyDocument> reports) {
        this(studyInstanceUid, patientBsn, accessions, modalities, bodySites, started, description, performer,
                manifests, reports, null);
    }

    /** Images can be retrieved: at least one KOS manifest is registered. */
    public boolean available() {
        return !manifests.isEmpty();
    }

    /** The repository of the (first) manifest, where the KOS is retrieved; null without a manifest. */
    public String repositoryUniqueId() {
        return manifests.isEmpty() ? null : manifests.get(0).repositoryUniqueId();
    }

    /** An accession number and the OID of the organisation that issued it (may be null). */
    public record Accession(String value, String issuerOid) {
    }

    /** A code with its scheme (an OID, as in XDS) and display name (may be null). */
    public record CodedValue(String code, String schemeOid, String display) {
    }

    /** A care organisation: name and URA (UZI-register subscriber number; may be null). */
    public record Organisation(String name, String ura) {
    }

    /** A DocumentEntry of the study. */
    public record StudyDocument(String entryUuid, String uniqueId, String repositoryUniqueId, String mimeType,
                                String title) {
    }
}
