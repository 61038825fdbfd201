package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Reference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;

import java.util.List;

/**
 * XDS SubmissionSet and Folder ⇄ MHD Comprehensive List (code {@code submissionset} / {@code folder}).
 * id = entryUUID without {@code urn:uuid:}; identifiers uniqueId ({@code usual}, {@code urn:oid:…}) and
 * entryUUID ({@code official}); sourceId and contentTypeCode (Folder: codeList) as the MHD extensions;
 * date = submissionTime (Folder: lastUpdateTime); source = the first author; note = comments;
 * entries = the members (DocumentReferences, and a submission set's Folders).
 */
public final class XdsListMapper {

    public ListResource toList(SubmissionSet set, List<String> documentUuids, List<String> folderUuids) {
        ListResource list = base(set, MhdNaming.COMPREHENSIVE_SUBMISSION_SET, MhdNaming.SUBMISSION_SET);
        if (set.getSourceId() != null) {
            list.addExtension(new Extension(MhdNaming.EXT_SOURCE_ID, new Identifier().setSystem(MhdNaming.RFC_3986)
                    .setValue(XdsFhirTypes.uniqueIdUri(set.getSourceId()))));
        }
        if (set.getContentTypeCode() != null) {
            list.addExtension(new Extension(MhdNaming.EXT_DESIGNATION_TYPE, XdsFhirTypes.concept(set.getContentTypeCode())));
        }
        list.getIdentifier().add(0, new Identifier().setUse(Identifier.IdentifierUse.USUAL).setSystem(MhdNaming.RFC_3986)
                .setValue(XdsFhirTypes.uniqueIdUri(set.getUniqueId())));
        if (set.getSubmissionTime() != null) {
            list.setDateElement(XdsFhirTypes.dateTime(set.getSubmissionTime()));
        }
        if (!set.getAuthors().isEmpty()) {
            list.setSource(XdsFhirParties.author(list, set.getAuthors().get(0), "author1"));
        }
        documentUuids.forEach(uuid -> list.addEntry().setItem(new Reference("DocumentReference/" + XdsFhirTypes.idOf(uuid))));
        folderUuids.forEach(uuid -> list.addEntry().setItem(new Reference("List/" + XdsFhirTypes.idOf(uuid))));
        return list;
    }

    public ListResource toList(Folder folder, List<String> documentUuids) {
        ListResource list = base(folder, MhdNaming.COMPREHENSIVE_FOLDER, MhdNaming.FOLDER);
        folder.getCodeList().forEach(c -> list.addExtension(new Extension(MhdNaming.EXT_DESIGNATION_TYPE, XdsFhirTypes.concept(c))));
        list.getIdentifier().add(0, new Identifier().setUse(Identifier.IdentifierUse.USUAL).setSystem(MhdNaming.RFC_3986)
                .setValue(XdsFhirTypes.uniqueIdUri(folder.getUniqueId())));
        if (folder.getLastUpdateTime() != null) {
            list.setDateElement(XdsFhirTypes.dateTime(folder.getLastUpdateTime()));
        }
        documentUuids.forEach(uuid -> list.addEntry().setItem(new Reference("DocumentReference/" + XdsFhirTypes.idOf(uuid))));
        return list;
    }

    private static ListResource base(XDSMetaClass object, String profile, String code) {
        ListResource list = new ListResource();
        list.setId(XdsFhirTypes.idOf(object.getEntryUuid()));
        list.getMeta().addProfile(profile);
        list.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem(MhdNaming.RFC_3986).setValue(object.getEntryUuid());
        list.setStatus(object.getAvailabilityStatus() == null || object.getAvailabilityStatus() == AvailabilityStatus.APPROVED
                ? ListResource.ListStatus.CURRENT : ListResource.ListStatus.RETIRED);
        list.setMode(ListResource.ListMode.WORKING);
        list.setCode(new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(MhdNaming.LIST_TYPES, code, null)));
        if (object.getTitle() != null && object.getTitle().getValue() != null) {
            list.setTitle(object.getTitle().getValue());
        }
        if (object.getPatientId() != null) {
            list.setSubject(new Reference("Patient/" + object.getPatientId().getId()));
        }
        if (object.getComments() != null && object.getComments().getValue() != null) {
            list.addNote().setText(object.getComments().getValue());
        }
        return list;
    }

    // ------------------------------------------------------------------ FHIR → XDS (ITI-65)

    public static boolean isOfType(ListResource list, String code) {
        return list.getCode().getCoding().stream().anyMatch(c -> MhdNaming.LIST_TYPES.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    public SubmissionSet toSubmissionSet(ListResource list, Identifiable patientId) {
        SubmissionSet set = new SubmissionSet();
        fill(set, list, patientId);
        for (Extension extension : list.getExtension()) {
            if (MhdNaming.EXT_SOURCE_ID.equals(extension.getUrl()) && extension.getValue() instanceof Identifier id) {
                set.setSourceId(XdsFhirTypes.uniqueIdOf(id.getValue()));
            } else if (MhdNaming.EXT_DESIGNATION_TYPE.equals(extension.getUrl()) && extension.getValue() instanceof CodeableConcept c) {
                set.setContentTypeCode(XdsFhirTypes.code(c));
            }
        }
        DateTimeType date = list.hasDate() ? new DateTimeType(list.getDate(), TemporalPrecisionEnum.SECOND) : null;
        set.setSubmissionTime(XdsFhirTypes.timestamp(date));
        if (list.hasSource()) {
            set.getAuthors().add(XdsFhirParties.author(list, list.getSource()).orElseThrow(() ->
                    new InvalidRequestException("SubmissionSet List.source: must reference a contained PractitionerRole, Practitioner or Organization")));
        }
        return set;
    }

    public Folder toFolder(ListResource list, Identifiable patientId) {
        Folder folder = new Folder();
        fill(folder, list, patientId);
        for (Extension extension : list.getExtension()) {
            if (MhdNaming.EXT_DESIGNATION_TYPE.equals(extension.getUrl()) && extension.getValue() instanceof CodeableConcept c) {
                folder.getCodeList().add(XdsFhirTypes.code(c));
            }
        }
        return folder;
    }

    private static void fill(XDSMetaClass object, ListResource list, Identifiable patientId) {
        object.setPatientId(patientId);
        for (Identifier identifier : list.getIdentifier()) {
            String value = identifier.getValue();
            if (value == null) {
                continue;
            }
            if (identifier.getUse() == Identifier.IdentifierUse.OFFICIAL && value.startsWith(MhdNaming.URN_UUID)) {
                object.setEntryUuid(value);
            } else if (identifier.getUse() == Identifier.IdentifierUse.USUAL) {
                object.setUniqueId(XdsFhirTypes.uniqueIdOf(value));
            }
        }
        if (list.hasTitle()) {
            object.setTitle(new LocalizedString(list.getTitle()));
        }
        if (list.hasNote()) {
            object.setComments(new LocalizedString(list.getNoteFirstRep().getText()));
        }
    }
}
