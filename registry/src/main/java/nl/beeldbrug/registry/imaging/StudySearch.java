package nl.beeldbrug.registry.imaging;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Criteria of an imaging study search. Within one list the values are alternatives (OR); the
 * criteria are combined with AND. A search names a patient or a study (UID or accession number):
 * the index is not a way to list every study of the country.
 *
 * @param patientBsn       the patient (nine digits), or null
 * @param studyInstanceUids studies by UID
 * @param accessionKeys    accession numbers, bare or as {@code urn:oid:<issuer>|value}
 * @param modalities       DICOM modality codes
 * @param bodySites        SNOMED CT body region codes
 * @param startedFrom      started at or after (inclusive), or null
 * @param startedBefore    started before (exclusive), or null
 * @param available        true: only studies with a manifest; false: only those without; null: both
 */
public record StudySearch(String patientBsn, List<String> studyInstanceUids, List<String> accessionKeys,
                          List<String> modalities, List<String> bodySites, Instant startedFrom, Instant startedBefore,
                          Boolean available) {

    public StudySearch {
        studyInstanceUids = List.copyOf(studyInstanceUids);
        accessionKeys = List.copyOf(accessionKeys);
        modalities = List.copyOf(modalities);
        bodySites = List.copyOf(bodySites);
    }

    /** All studies of one patient. */
    public static StudySearch forPatient(String bsn) {
        return new StudySearch(bsn, List.of(), List.of(), List.of(), List.of(), null, null, null);
    }

    public StudySearch withModalities(List<String> codes) {
        return new StudySearch(patientBsn, studyInstanceUids, accessionKeys, codes, bodySites, startedFrom, startedBefore, available);
    }

    public StudySearch withBodySites(List<String> codes) {
        return new StudySearch(patientBsn, studyInstanceUids, accessionKeys, modalities, codes, startedFrom, startedBefore, available);
    }

    public StudySearch withStarted(Instant from, Instant before) {
        return new StudySearch(patientBsn, studyInstanceUids, accessionKeys, modalities, bodySites, from, before, available);
    }

    public StudySearch withAvailable(Boolean value) {
        return new StudySearch(patientBsn, studyInstanceUids, accessionKeys, modalities, bodySites, startedFrom, startedBefore, value);
    }

    public Optional<String> patient() {
        return Optional.ofNullable(patientBsn);
    }

    /** True when the search names a patient or a study, as every search must. */
    public boolean isSelective() {
        return patientBsn != null || !studyInstanceUids.isEmpty() || !accessionKeys.isEmpty();
    }
}
