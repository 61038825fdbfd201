package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.DocumentReference.DocumentRelationshipType;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.util.Date;
import java.util.List;
import java.util.TimeZone;
import java.util.Map;

/**
 * XDS DocumentEntry → MHD Comprehensive DocumentReference (MHD 4.2.1 table 4.5.1.1-1). Pure: the
 * entry (and the associations it is the source of) in, the resource out.
 * <ul>
 *   <li>id = entryUUID without {@code urn:uuid:}; masterIdentifier = uniqueId ({@code urn:oid:…}).</li>
 *   <li>status: Approved → current, Deprecated → superseded; date = attachment.creation = creationTime.</li>
 *   <li>subject = {@code Patient/<bsn>} (the registry's patient id); sourcePatientInfo, authors and the
 *       legal authenticator are contained resources.</li>
 *   <li>attachment.url = {@code <fhir base>/Binary/<uniqueId>} (ITI-68 on this gateway).</li>
 *   <li>context.related: a Study Instance UID ({@code …^^^^urn:ihe:iti:xds:2016:studyInstanceUID}) →
 *       {@code ImagingStudy/<uid>} with identifier {@code urn:dicom:uid|urn:oid:<uid>}; an accession number →
 *       identifier of type ACSN; any other referenceId → identifier whose type text is its XDS id type.</li>
 * </ul>
 */
public final class DocumentEntryToDocumentReferenceMapper {

    static final String ACCESSION_TYPE_SYSTEM = FhirNaming.V2_0203;
    private static final Map<AssociationType, DocumentRelationshipType> RELATIONS = Map.of(
            AssociationType.REPLACE, DocumentRelationshipType.REPLACES,
            AssociationType.TRANSFORM_AND_REPLACE, DocumentRelationshipType.REPLACES,
            AssociationType.TRANSFORM, DocumentRelationshipType.TRANSFORMS,
            AssociationType.APPEND, DocumentRelationshipType.APPENDS,
            AssociationType.SIGNS, DocumentRelationshipType.SIGNS,
            AssociationType.IS_SNAPSHOT_OF, DocumentRelationshipType.TRANSFORMS);

    /** Whether this association becomes a {@code relatesTo} of its source document. */
    public static boolean isRelation(Association association) {
        return RELATIONS.containsKey(association.getAssociationType());
    }

    /** The URL at which ITI-68 serves a document: {@code <fhir base>/Binary/<uniqueId>}. */
    public static String retrieveUrl(String fhirBase, String uniqueId) {
        return fhirBase + "/Binary/" + uniqueId;
    }

    public DocumentReference toDocumentReference(DocumentEntry entry, List<Association> associations, String fhirBase) {
        DocumentReference doc = new DocumentReference();
        doc.setId(XdsFhirTypes.idOf(entry.getEntryUuid()));
        doc.getMeta().addProfile(MhdNaming.COMPREHENSIVE_DOCUMENT_REFERENCE);
        doc.setMasterIdentifier(new Identifier().setUse(Identifier.IdentifierUse.USUAL).setSystem(MhdNaming.RFC_3986)
                .setValue(XdsFhirTypes.uniqueIdUri(entry.getUniqueId())));
        doc.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(MhdNaming.RFC_3986).setValue(entry.getEntryUuid());
        doc.setStatus(entry.getAvailabilityStatus() == AvailabilityStatus.DEPRECATED
                ? DocumentReferenceStatus.SUPERSEDED : DocumentReferenceStatus.CURRENT);
        doc.setType(XdsFhirTypes.concept(entry.getTypeCode()));
        if (entry.getClassCode() != null) {
            doc.addCategory(XdsFhirTypes.concept(entry.getClassCode()));
        }
        if (entry.getPatientId() != null) {
            doc.setSubject(new Reference("Patient/" + entry.getPatientId().getId()));
        }
        if (entry.getCreationTime() != null && entry.getCreationTime().getDateTime() != null) {
            doc.setDateElement(new InstantType(Date.from(entry.getCreationTime().getDateTime().toInstant()),
                    TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("UTC")));
        }
        for (int i = 0; i < entry.getAuthors().size(); i++) {
            doc.addAuthor(XdsFhirParties.author(doc, entry.getAuthors().get(i), "author" + (i + 1)));
        }
        if (entry.getLegalAuthenticator() != null && !entry.getLegalAuthenticator().isEmpty()) {
            doc.addContained(XdsFhirParties.practitioner(entry.getLegalAuthenticator(), "authenticator"));
            doc.setAuthenticator(new Reference("#authenticator"));
        }
        for (Association association : associations) {
            DocumentRelationshipType code = RELATIONS.get(association.getAssociationType());
            if (code != null && entry.getEntryUuid().equals(association.getSourceUuid())) {
                doc.addRelatesTo().setCode(code)
                        .setTarget(new Reference("DocumentReference/" + XdsFhirTypes.idOf(association.getTargetUuid())));
            }
        }
        if (entry.getComments() != null && entry.getComments().getValue() != null) {
            doc.setDescription(entry.getComments().getValue());
        }
        entry.getConfidentialityCodes().forEach(c -> doc.addSecurityLabel(XdsFhirTypes.concept(c)));

        DocumentReference.DocumentReferenceContentComponent content = doc.addContent();
        Attachment attachment = content.getAttachment();
        attachment.setContentType(entry.getMimeType());
        attachment.setLanguage(entry.getLanguageCode());
        attachment.setUrl(retrieveUrl(fhirBase, entry.getUniqueId()));
        if (entry.getSize() != null) {
            attachment.setSize(Math.toIntExact(entry.getSize()));
        }
        if (entry.getHash() != null) {
            attachment.setHash(XdsFhirTypes.hashBytes(entry.getHash()));
        }
        if (entry.getTitle() != null && entry.getTitle().getValue() != null) {
            attachment.setTitle(entry.getTitle().getValue());
        }
        attachment.setCreationElement(XdsFhirTypes.dateTime(entry.getCreationTime()));
        if (entry.getFormatCode() != null) {
            content.setFormat(XdsFhirTypes.coding(entry.getFormatCode()));
        }

        DocumentReference.DocumentReferenceContextComponent context = doc.getContext();
        entry.getEventCodeList().forEach(c -> context.addEvent(XdsFhirTypes.concept(c)));
        if (entry.getServiceStartTime() != null || entry.getServiceStopTime() != null) {
            context.setPeriod(new Period().setStartElement(XdsFhirTypes.dateTime(entry.getServiceStartTime()))
                    .setEndElement(XdsFhirTypes.dateTime(entry.getServiceStopTime())));
        }
        context.setFacilityType(XdsFhirTypes.concept(entry.getHealthcareFacilityTypeCode()));
        context.setPracticeSetting(XdsFhirTypes.concept(entry.getPracticeSettingCode()));
        doc.addContained(XdsFhirParties.patient(entry.getSourcePatientId(), entry.getSourcePatientInfo(), "patient"));
        context.setSourcePatientInfo(new Reference("#patient"));
        entry.getReferenceIdList().forEach(r -> context.addRelated(related(r)));
        return doc;
    }

    static Reference related(ReferenceId ref) {
        String authority = ref.getAssigningAuthority() == null ? null : ref.getAssigningAuthority().getUniversalId();
        if (ReferenceId.ID_TYPE_STUDY_INSTANCE_ID.equals(ref.getIdTypeCode())) {
            return new Reference("ImagingStudy/" + ref.getId())
                    .setIdentifier(new Identifier().setSystem(FhirNaming.DICOM_UID).setValue(MhdNaming.URN_OID + ref.getId()));
        }
        Identifier identifier = new Identifier().setValue(ref.getId());
        if (authority != null) {
            identifier.setSystem(MhdNaming.URN_OID + authority);
        }
        if (ReferenceId.ID_TYPE_CODE_ACCESSION.equals(ref.getIdTypeCode())) {
            identifier.setType(new CodeableConcept().addCoding(new Coding(ACCESSION_TYPE_SYSTEM, "ACSN", "Accession ID")));
        } else if (ref.getIdTypeCode() != null) {
            identifier.setType(new CodeableConcept().setText(ref.getIdTypeCode()));
        }
        return new Reference().setIdentifier(identifier);
    }
}
