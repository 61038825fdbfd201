package nl.beeldbrug.gateway.fhir;

/** The naming systems and code systems of Beeldbrug's FHIR face (Nictiz / HL7 NL conventions). */
public final class FhirNaming {

    public static final String BSN = "http://fhir.nl/fhir/NamingSystem/bsn";
    public static final String URA = "http://fhir.nl/fhir/NamingSystem/ura";
    /** Identifier system of DICOM UIDs; the value is {@code urn:oid:<uid>}. */
    public static final String DICOM_UID = "urn:dicom:uid";
    public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    public static final String IMAGINGSTUDY_STATUS = "http://hl7.org/fhir/imagingstudy-status";
    public static final String ENDPOINT_CONNECTION_TYPE = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
    /** R4 ImagingStudy has body sites and performers only on series, which a KOS's XDS metadata does not list. */
    public static final String EXT_BODY_SITE = "https://beeldbrug.nl/fhir/StructureDefinition/imagingstudy-bodysite";
    public static final String EXT_PERFORMER = "https://beeldbrug.nl/fhir/StructureDefinition/imagingstudy-performer";
    /** A report of the study: a reference to its DocumentReference (R4 ImagingStudy has no element for it). */
    public static final String EXT_REPORT = "https://beeldbrug.nl/fhir/StructureDefinition/imagingstudy-report";
    /** The id of the one Endpoint: this gateway's WADO-RS service. */
    public static final String WADO_ENDPOINT_ID = "wado-rs";

    private FhirNaming() {
    }

    /** The logical id of a DocumentEntry's DocumentReference (MHD): its entryUUID without {@code urn:uuid:}. */
    public static String documentReferenceId(String entryUuid) {
        return entryUuid != null && entryUuid.startsWith("urn:uuid:") ? entryUuid.substring("urn:uuid:".length()) : entryUuid;
    }

    /** The FHIR system of an XDS code scheme OID (DCM and SNOMED CT by name, any other as urn:oid). */
    public static String systemOf(String schemeOid) {
        if (schemeOid == null) {
            return null;
        }
        return switch (schemeOid) {
            case "1.2.840.10008.2.16.4" -> DCM;
            case "2.16.840.1.113883.6.96" -> SNOMED;
            default -> "urn:oid:" + schemeOid;
        };
    }
}
