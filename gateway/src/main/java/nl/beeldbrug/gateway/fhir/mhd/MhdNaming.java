package nl.beeldbrug.gateway.fhir.mhd;

/** The canonical URLs and code systems of IHE MHD 4.2.1 that Beeldbrug's MHD face uses. */
public final class MhdNaming {

    private static final String SD = "https://profiles.ihe.net/ITI/MHD/StructureDefinition/";

    public static final String COMPREHENSIVE_DOCUMENT_REFERENCE = SD + "IHE.MHD.Comprehensive.DocumentReference";
    public static final String COMPREHENSIVE_SUBMISSION_SET = SD + "IHE.MHD.Comprehensive.SubmissionSet";
    public static final String COMPREHENSIVE_FOLDER = SD + "IHE.MHD.Comprehensive.Folder";
    public static final String COMPREHENSIVE_PROVIDE_BUNDLE = SD + "IHE.MHD.Comprehensive.ProvideBundle";
    public static final String UNCONTAINED_PROVIDE_BUNDLE = SD + "IHE.MHD.UnContained.Comprehensive.ProvideBundle";
    public static final String MINIMAL_PROVIDE_BUNDLE = SD + "IHE.MHD.Minimal.ProvideBundle";
    public static final String PROVIDE_BUNDLE_RESPONSE = SD + "IHE.MHD.ProvideDocumentBundleResponse";
    public static final String FIND_DOCUMENT_REFERENCES_RESPONSE = SD + "IHE.MHD.FindDocumentReferencesComprehensiveResponseMessage";
    public static final String FIND_DOCUMENT_LISTS_RESPONSE = SD + "IHE.MHD.FindDocumentListsResponseMessage";

    public static final String EXT_SOURCE_ID = SD + "ihe-sourceId";
    public static final String EXT_DESIGNATION_TYPE = SD + "ihe-designationType";
    public static final String EXT_AUTHOR_ORG = SD + "ihe-authorOrg";

    /** List.code: submissionset or folder. */
    public static final String LIST_TYPES = "https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes";
    public static final String SUBMISSION_SET = "submissionset";
    public static final String FOLDER = "folder";

    /** Identifier system of entryUUIDs and uniqueIds written as URIs ({@code urn:uuid:…}, {@code urn:oid:…}). */
    public static final String RFC_3986 = "urn:ietf:rfc:3986";
    public static final String URN_UUID = "urn:uuid:";
    public static final String URN_OID = "urn:oid:";

    private MhdNaming() {
    }
}
