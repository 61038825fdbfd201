package nl.beeldbrug.adapters.mitz;

/**
 * The XACML 3.0 vocabulary of the closed question. Namespaces and categories are those of XACML 3.0 core
 * and its SAML 2.0 profile; attribute ids are the OASIS XSPA / XACML ones where a standard id exists.
 * The Dutch-specific ids (organisation types, data holder) are Beeldbrug's own until aligned with the
 * VZVZ "Implementatiehandleiding Open en gesloten autorisatievraag" (§3.2.4): the only place to change.
 */
public final class XacmlAttributes {

    public static final String SOAP12 = "http://www.w3.org/2003/05/soap-envelope";
    public static final String XACML = "urn:oasis:names:tc:xacml:3.0:core:schema:wd-17";
    public static final String XACML_SAMLP = "urn:oasis:names:tc:xacml:3.0:profile:saml2.0:v2:schema:protocol:wd-14";
    public static final String SAML_ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";

    public static final String STRING = "http://www.w3.org/2001/XMLSchema#string";

    public static final String ACCESS_SUBJECT = "urn:oasis:names:tc:xacml:1.0:subject-category:access-subject";
    public static final String RESOURCE = "urn:oasis:names:tc:xacml:3.0:attribute-category:resource";
    public static final String ACTION = "urn:oasis:names:tc:xacml:3.0:attribute-category:action";

    /** Consulting organisation, as {@code urn:oid:2.16.528.1.1007.3.3.<URA>}. */
    public static final String SUBJECT_ORGANIZATION_ID = "urn:oasis:names:tc:xspa:1.0:subject:organization-id";
    /** Consulting organisation's type (care provider category). */
    public static final String SUBJECT_ORGANIZATION_TYPE = "urn:nl:beeldbrug:mitz:subject:organization-type";
    /** UZI role code of the professional. */
    public static final String SUBJECT_ROLE = "urn:oasis:names:tc:xacml:2.0:subject:role";
    /** Purpose of use: TREAT or COC. */
    public static final String SUBJECT_PURPOSE_OF_USE = "urn:oasis:names:tc:xspa:1.0:subject:purposeofuse";
    /** The patient, as {@code <BSN>^^^&2.16.840.1.113883.2.4.6.3&ISO}. */
    public static final String RESOURCE_PATIENT_ID = "urn:oasis:names:tc:xacml:1.0:resource:resource-id";
    /** Data holder organisation, as {@code urn:oid:2.16.528.1.1007.3.3.<URA>}. */
    public static final String RESOURCE_DATA_HOLDER_ID = "urn:nl:beeldbrug:mitz:resource:data-holder-organization-id";
    /** Data holder's type (care provider category). */
    public static final String RESOURCE_DATA_HOLDER_TYPE = "urn:nl:beeldbrug:mitz:resource:data-holder-organization-type";
    public static final String ACTION_ID = "urn:oasis:names:tc:xacml:1.0:action:action-id";

    private XacmlAttributes() {
    }
}
