package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntryType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

/**
 * MHD Comprehensive DocumentReference → XDS DocumentEntry, the inverse of
 * {@link DocumentEntryToDocumentReferenceMapper} (ITI-65). The patient id is resolved by the caller
 * (from {@code subject}); everything else comes from the resource. A related reference the mapping
 * cannot place in the referenceIdList is refused (400) rather than dropped.
 */
public final class DocumentReferenceToDocumentEntryMapper {

    public DocumentEntry toDocumentEntry(DocumentReference doc, Identifiable patientId) {
        DocumentEntry entry = new DocumentEntry();
        entry.setType(DocumentEntryType.STABLE);
        if (doc.hasMasterIdentifier()) {
            entry.setUniqueId(XdsFhirTypes.uniqueIdOf(doc.getMasterIdentifier().getValue()));
        }
        for (Identifier identifier : doc.getIdentifier()) {
            if (identifier.getValue() != null && identifier.getValue().startsWith(MhdNaming.URN_UUID)) {
                entry.setEntryUuid(identifier.getValue());
            }
        }
        entry.setPatientId(patientId);
        entry.setTypeCode(XdsFhirTypes.code(doc.getType()));
        if (doc.hasCategory()) {
            entry.setClassCode(XdsFhirTypes.code(doc.getCategoryFirstRep()));
        }
        doc.getSecurityLabel().forEach(c -> add(entry.getConfidentialityCodes(), c));
        if (doc.hasDescription()) {
            entry.setComments(new LocalizedString(doc.getDescription()));
        }
        for (Reference author : doc.getAuthor()) {
            entry.getAuthors().add(XdsFhirParties.author(doc, author).orElseThrow(() ->
                    new InvalidRequestException("DocumentReference.author: must reference a contained PractitionerRole, Practitioner or Organization")));
        }
        if (doc.hasAuthenticator()) {
            entry.setLegalAuthenticator(XdsFhirParties.contained(doc, doc.getAuthenticator())
                    .filter(Practitioner.class::isInstance).map(p -> XdsFhirParties.person((Practitioner) p))
                    .orElseThrow(() -> new InvalidRequestException("DocumentReference.authenticator: must reference a contained Practitioner")));
        }
        if (doc.getContent().size() != 1) {
            throw new InvalidRequestException("DocumentReference.content: exactly one content is required");
        }
        Attachment attachment = doc.getContentFirstRep().getAttachment();
        entry.setMimeType(attachment.getContentType());
        entry.setLanguageCode(attachment.getLanguage());
        if (attachment.hasTitle()) {
            entry.setTitle(new LocalizedString(attachment.getTitle()));
        }
        if (attachment.hasSize()) {
            entry.setSize((long) attachment.getSize());
        }
        if (attachment.hasHash()) {
            entry.setHash(XdsFhirTypes.hashHex(attachment.getHash()));
        }
        entry.setCreationTime(XdsFhirTypes.timestamp(attachment.hasCreation() ? attachment.getCreationElement()
                : doc.hasDate() ? new org.hl7.fhir.r4.model.DateTimeType(doc.getDate()) : null));
        if (doc.getContentFirstRep().hasFormat()) {
            entry.setFormatCode(XdsFhirTypes.code(doc.getContentFirstRep().getFormat()));
        }

        DocumentReference.DocumentReferenceContextComponent context = doc.getContext();
        context.getEvent().forEach(c -> add(entry.getEventCodeList(), c));
        if (context.hasPeriod()) {
            entry.setServiceStartTime(XdsFhirTypes.timestamp(context.getPeriod().getStartElement()));
            entry.setServiceStopTime(XdsFhirTypes.timestamp(context.getPeriod().getEndElement()));
        }
        entry.setHealthcareFacilityTypeCode(XdsFhirTypes.code(context.getFacilityType()));
        entry.setPracticeSettingCode(XdsFhirTypes.code(context.getPracticeSetting()));
        if (context.hasSourcePatientInfo()) {
            Patient patient = XdsFhirParties.contained(doc, context.getSourcePatientInfo())
                    .filter(Patient.class::isInstance).map(Patient.class::cast)
                    .orElseThrow(() -> new InvalidRequestException("DocumentReference.context.sourcePatientInfo: must reference a contained Patient"));
            entry.setSourcePatientId(XdsFhirParties.sourcePatientId(patient));
            entry.setSourcePatientInfo(XdsFhirParties.patientInfo(patient));
        }
        for (Reference related : context.getRelated()) {
            entry.getReferenceIdList().add(referenceId(related));
        }
        return entry;
    }

    private static void add(java.util.List<org.openehealth.ipf.commons.ihe.xds.core.metadata.Code> codes, CodeableConcept concept) {
        var code = XdsFhirTypes.code(concept);
        if (code != null) {
            codes.add(code);
        }
    }

    /** context.related → referenceIdList entry (see {@link DocumentEntryToDocumentReferenceMapper#related}). */
    static ReferenceId referenceId(Reference related) {
        String reference = related.getReference();
        if (reference != null) {
            int at = reference.lastIndexOf("ImagingStudy/");
            String uid = at < 0 ? null : reference.substring(at + "ImagingStudy/".length());
            if (uid == null || !XdsFhirTypes.isOid(uid)) {
                throw new InvalidRequestException("DocumentReference.context.related: only ImagingStudy/<Study Instance UID> references or identifiers are supported");
            }
            return new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID);
        }
        Identifier identifier = related.getIdentifier();
        if (identifier == null || identifier.getValue() == null) {
            throw new InvalidRequestException("DocumentReference.context.related: a reference or an identifier is required");
        }
        if (FhirNaming.DICOM_UID.equals(identifier.getSystem())) {
            String uid = XdsFhirTypes.uniqueIdOf(identifier.getValue());
            if (!XdsFhirTypes.isOid(uid)) {
                throw new InvalidRequestException("DocumentReference.context.related: a urn:dicom:uid identifier must be urn:oid:<uid>");
            }
            return new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID);
        }
        CXiAssigningAuthority authority = identifier.getSystem() == null ? null
                : new CXiAssigningAuthority(null, XdsFhirTypes.uniqueIdOf(identifier.getSystem()), "ISO");
        String type;
        if (identifier.getType().getCoding().stream().anyMatch(c -> "ACSN".equals(c.getCode()))) {
            type = ReferenceId.ID_TYPE_CODE_ACCESSION;
        } else if (identifier.getType().hasText()) {
            type = identifier.getType().getText();
        } else {
            throw new InvalidRequestException("DocumentReference.context.related: an identifier needs a type (ACSN for an accession number)");
        }
        return new ReferenceId(identifier.getValue(), authority, type);
    }
}
