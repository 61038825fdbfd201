package nl.beeldbrug.registry.consent;

/** What kind of data a provision covers (FHIR Consent.provision.class). */
public enum DataClass {
    /** The images of a study (DICOM, the KOS manifest, ImagingStudy). */
    IMAGING_STUDY,
    /** A radiology report, registered as a document of its own. */
    REPORT
}
