package nl.beeldbrug.registry.consent;

import nl.beeldbrug.registry.patient.Bsn;

import java.util.Objects;

/**
 * What is about to be released: a study's images or its report, of one patient, held by one organisation.
 *
 * @param patient                the patient (BSN)
 * @param studyInstanceUid       the DICOM Study Instance UID the data belongs to (a report: the study it reports on)
 * @param dataClass              images or report
 * @param sourceOrganisation     the data holder (URA)
 * @param sourceOrganisationType the data holder's kind (asked in the Mitz question)
 */
public record ResourceMetadata(Bsn patient, String studyInstanceUid, DataClass dataClass, Ura sourceOrganisation,
                               OrganisationType sourceOrganisationType) {

    public ResourceMetadata {
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        Objects.requireNonNull(dataClass, "dataClass");
        Objects.requireNonNull(sourceOrganisation, "sourceOrganisation");
        Objects.requireNonNull(sourceOrganisationType, "sourceOrganisationType");
    }
}
