package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.MethodNotAllowedException;
import jakarta.activation.DataHandler;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.BytesDataSource;
import nl.beeldbrug.registry.xds.PatientIds;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Document;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MHD ITI-65 Provide Document Bundle (Comprehensive Metadata) → XDS ProvideAndRegisterDocumentSet,
 * the request an ITI-41 sender would have made. Structural faults are 400 here (no SubmissionSet,
 * a reference that resolves to nothing in the bundle, a document without content, an invalid BSN,
 * an entry that is not a POST); everything about the metadata itself is left to the ITI-41
 * validators and the registry, so both faces refuse the same submissions for the same reasons.
 *
 * <p>Patients: {@code subject} is {@code Patient/<bsn>} (relative or absolute), the conditional reference
 * {@code Patient?identifier=http://fhir.nl/fhir/NamingSystem/bsn|<bsn>}, or a logical reference by the BSN
 * identifier; each becomes the XDS patient id {@code <bsn>^^^&2.16.840.1.113883.2.4.6.3&ISO}.
 */
final class ProvideBundleTranslator {

    /** The XDS request and, per bundle entry (in order), what it became: for the response locations. */
    record Translation(ProvideAndRegisterDocumentSet request, Bsn patient, List<Object> objectPerEntry,
                       Map<Binary, String> binaryDocuments) {
    }

    private final DocumentReferenceToDocumentEntryMapper documents = new DocumentReferenceToDocumentEntryMapper();
    private final XdsListMapper lists = new XdsListMapper();

    Translation translate(Bundle bundle) {
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new MethodNotAllowedException("Bundle.type: only a transaction (ITI-65 Provide Document Bundle) may be posted");
        }
        Map<String, Resource> byFullUrl = new HashMap<>();
        ListResource submissionSetList = null;
        List<Bundle.BundleEntryComponent> docEntries = new ArrayList<>();
        List<Bundle.BundleEntryComponent> folderEntries = new ArrayList<>();
        Set<String> binaries = new HashSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource == null) {
                throw new InvalidRequestException("Bundle.entry: every entry carries a resource");
            }
            if (entry.getRequest().getMethod() != Bundle.HTTPVerb.POST) {
                throw new MethodNotAllowedException("Bundle.entry.request.method: ITI-65 only creates (POST); "
                        + resource.fhirType() + " was sent with another method");
            }
            if (entry.hasFullUrl() && byFullUrl.put(entry.getFullUrl(), resource) != null) {
                throw new InvalidRequestException("Bundle.entry.fullUrl: used twice");
            }
            if (resource instanceof ListResource list && XdsListMapper.isOfType(list, MhdNaming.SUBMISSION_SET)) {
                if (submissionSetList != null) {
                    throw new InvalidRequestException("Bundle: exactly one SubmissionSet List is allowed");
                }
                submissionSetList = list;
            } else if (resource instanceof ListResource list && XdsListMapper.isOfType(list, MhdNaming.FOLDER)) {
                folderEntries.add(entry);
            } else if (resource instanceof DocumentReference) {
                docEntries.add(entry);
            } else if (resource instanceof Binary) {
                binaries.add(entry.getFullUrl());
            } else {
                throw new InvalidRequestException("Bundle.entry: " + resource.fhirType()
                        + " is not part of an ITI-65 Provide Document Bundle (SubmissionSet and Folder Lists, DocumentReferences, Binaries)");
            }
        }
        if (submissionSetList == null) {
            throw new InvalidRequestException("Bundle: the SubmissionSet List (code submissionset) is missing");
        }

        Bsn bsn = patient("SubmissionSet List.subject", submissionSetList.getSubject());
        Identifiable patientId = PatientIds.of(bsn);
        ProvideAndRegisterDocumentSet request = new ProvideAndRegisterDocumentSet();
        SubmissionSet set = lists.toSubmissionSet(submissionSetList, patientId);
        if (set.getEntryUuid() == null) {
            set.setEntryUuid("SubmissionSet01");
        }
        request.setSubmissionSet(set);

        Map<String, String> uuidByFullUrl = new HashMap<>();
        Map<Resource, Object> objects = new LinkedHashMap<>();
        objects.put(submissionSetList, set);
        int n = 0;
        Set<String> usedBinaries = new HashSet<>();
        Map<Binary, String> binaryDocuments = new IdentityHashMap<>();
        for (Bundle.BundleEntryComponent entry : docEntries) {
            DocumentReference doc = (DocumentReference) entry.getResource();
            Bsn subject = patient("DocumentReference.subject", doc.getSubject());
            DocumentEntry documentEntry = documents.toDocumentEntry(doc, PatientIds.of(subject));
            if (documentEntry.getEntryUuid() == null) {
                documentEntry.setEntryUuid(String.format("Document%02d", ++n));
            }
            byte[] content = content(doc, byFullUrl, usedBinaries);
            if (byFullUrl.get(doc.getContentFirstRep().getAttachment().getUrl()) instanceof Binary binary) {
                binaryDocuments.put(binary, documentEntry.getUniqueId());
            }
            String mimeType = documentEntry.getMimeType() == null ? "application/octet-stream" : documentEntry.getMimeType();
            request.getDocuments().add(new Document(documentEntry, new DataHandler(new BytesDataSource(content, mimeType))));
            uuidByFullUrl.put(entry.getFullUrl(), documentEntry.getEntryUuid());
            objects.put(doc, documentEntry);
            request.getAssociations().add(membership(set, documentEntry.getEntryUuid(), request.getAssociations().size()));
            for (DocumentReference.DocumentReferenceRelatesToComponent relation : doc.getRelatesTo()) {
                request.getAssociations().add(relation(documentEntry.getEntryUuid(), relation, request.getAssociations().size()));
            }
        }
        for (String binary : binaries) {
            if (!usedBinaries.contains(binary)) {
                throw new InvalidRequestException("Bundle.entry: a Binary is not the content of any DocumentReference");
            }
        }
        int f = 0;
        for (Bundle.BundleEntryComponent entry : folderEntries) {
            ListResource list = (ListResource) entry.getResource();
            Folder folder = lists.toFolder(list, PatientIds.of(patient("Folder List.subject", list.getSubject())));
            if (folder.getEntryUuid() == null) {
                folder.setEntryUuid(String.format("Folder%02d", ++f));
            }
            request.getFolders().add(folder);
            uuidByFullUrl.put(entry.getFullUrl(), folder.getEntryUuid());
            objects.put(list, folder);
            request.getAssociations().add(new Association(AssociationType.HAS_MEMBER,
                    "Association" + (request.getAssociations().size() + 1), set.getEntryUuid(), folder.getEntryUuid()));
            for (ListResource.ListEntryComponent member : list.getEntry()) {
                String target = target("Folder List.entry.item", member.getItem(), uuidByFullUrl);
                Association inFolder = new Association(AssociationType.HAS_MEMBER,
                        "Association" + (request.getAssociations().size() + 1), folder.getEntryUuid(), target);
                request.getAssociations().add(inFolder);
                request.getAssociations().add(new Association(AssociationType.HAS_MEMBER,
                        "Association" + (request.getAssociations().size() + 1), set.getEntryUuid(), inFolder.getEntryUuid()));
            }
        }
        for (ListResource.ListEntryComponent member : submissionSetList.getEntry()) {
            String item = member.getItem().getReference();
            if (item == null || !uuidByFullUrl.containsKey(item)) {
                throw new InvalidRequestException("SubmissionSet List.entry.item: must reference a DocumentReference or Folder of this bundle by its fullUrl");
            }
        }
        List<Object> perEntry = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            perEntry.add(objects.getOrDefault(entry.getResource(), entry.getResource()));
        }
        return new Translation(request, bsn, perEntry, binaryDocuments);
    }

    /** SubmissionSet HasMember of a document entry submitted with it (SubmissionSetStatus Original). */
    private static Association membership(SubmissionSet set, String target, int count) {
        Association association = new Association(AssociationType.HAS_MEMBER, "Association" + (count + 1), set.getEntryUuid(), target);
        association.setLabel(AssociationLabel.ORIGINAL);
        return association;
    }

    private static Association relation(String source, DocumentReference.DocumentReferenceRelatesToComponent relation, int count) {
        AssociationType type = switch (relation.getCode()) {
            case REPLACES -> AssociationType.REPLACE;
            case TRANSFORMS -> AssociationType.TRANSFORM;
            case APPENDS -> AssociationType.APPEND;
            case SIGNS -> AssociationType.SIGNS;
            default -> throw new InvalidRequestException("DocumentReference.relatesTo.code: replaces, transforms, appends or signs");
        };
        String reference = relation.getTarget().getReference();
        int at = reference == null ? -1 : reference.lastIndexOf("DocumentReference/");
        if (at < 0) {
            throw new InvalidRequestException("DocumentReference.relatesTo.target: must reference a registered DocumentReference/<id>");
        }
        return new Association(type, "Association" + (count + 1), source,
                MhdNaming.URN_UUID + reference.substring(at + "DocumentReference/".length()));
    }

    /** A folder member: a DocumentReference of this bundle (fullUrl) or a registered one (DocumentReference/<id>). */
    private static String target(String element, Reference reference, Map<String, String> uuidByFullUrl) {
        String value = reference.getReference();
        if (value != null && uuidByFullUrl.containsKey(value)) {
            return uuidByFullUrl.get(value);
        }
        int at = value == null ? -1 : value.lastIndexOf("DocumentReference/");
        if (at < 0) {
            throw new InvalidRequestException(element + ": a reference that resolves to no DocumentReference");
        }
        return MhdNaming.URN_UUID + value.substring(at + "DocumentReference/".length());
    }

    /** The document's bytes: attachment.data, or the Binary entry attachment.url names. */
    private static byte[] content(DocumentReference doc, Map<String, Resource> byFullUrl, Set<String> usedBinaries) {
        var attachment = doc.getContentFirstRep().getAttachment();
        if (attachment.hasData()) {
            return attachment.getData();
        }
        String url = attachment.getUrl();
        if (url == null) {
            throw new InvalidRequestException("DocumentReference.content.attachment: neither data nor a url of a Binary in the bundle");
        }
        if (!(byFullUrl.get(url) instanceof Binary binary)) {
            throw new InvalidRequestException("DocumentReference.content.attachment.url: resolves to no Binary in the bundle");
        }
        if (!binary.hasData()) {
            throw new InvalidRequestException("Binary.data: the document's content is missing");
        }
        usedBinaries.add(url);
        return binary.getData();
    }

    /** The BSN of a subject reference (see the class comment); 400 when it names none or an invalid one. */
    static Bsn patient(String element, Reference subject) {
        String candidate = null;
        String reference = subject == null ? null : subject.getReference();
        if (reference != null) {
            String decoded = URLDecoder.decode(reference, StandardCharsets.UTF_8);
            int query = decoded.indexOf("Patient?identifier=");
            int path = decoded.lastIndexOf("Patient/");
            if (query >= 0) {
                String token = decoded.substring(query + "Patient?identifier=".length());
                int bar = token.indexOf('|');
                if (bar < 0 || !FhirNaming.BSN.equals(token.substring(0, bar))) {
                    throw new InvalidRequestException(element + ": the conditional reference must be Patient?identifier=" + FhirNaming.BSN + "|<bsn>");
                }
                candidate = token.substring(bar + 1);
            } else if (path >= 0) {
                candidate = decoded.substring(path + "Patient/".length());
            } else {
                throw new InvalidRequestException(element + ": must reference Patient/<bsn> or Patient?identifier=" + FhirNaming.BSN + "|<bsn>");
            }
        } else if (subject != null && subject.hasIdentifier()) {
            Identifier identifier = subject.getIdentifier();
            if (!FhirNaming.BSN.equals(identifier.getSystem())) {
                throw new InvalidRequestException(element + ": the identifier system must be " + FhirNaming.BSN);
            }
            candidate = identifier.getValue();
        }
        if (candidate == null) {
            throw new InvalidRequestException(element + ": the patient is missing");
        }
        return Bsn.parse(candidate).orElseThrow(() -> new InvalidRequestException(element + ": not a valid BSN"));
    }
}
