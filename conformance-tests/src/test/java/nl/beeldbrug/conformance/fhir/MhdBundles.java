package nl.beeldbrug.conformance.fhir;

import nl.beeldbrug.conformance.support.Fhir;
import nl.beeldbrug.conformance.support.Submission;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * IHE MHD ITI-65 Provide Document Bundles (comprehensive metadata): a transaction Bundle of the
 * SubmissionSet List, one DocumentReference and its Binary, for a BSN patient, with the study it
 * belongs to in {@code context.related} (Study Instance UID and accession number).
 */
final class MhdBundles {

    static final String SD = "https://profiles.ihe.net/ITI/MHD/StructureDefinition/";
    static final String LOINC = "http://loinc.org";

    /** What was sent: the ids a test looks for afterwards. */
    record Provided(Bundle bundle, String documentUniqueId, String entryUuid, String submissionSetUniqueId,
                    String studyUid, String accession, byte[] content) {
    }

    private MhdBundles() {
    }

    static Provided report(String bsn, String studyUid, String accession, Instant started, byte[] content) {
        String documentUniqueId = Submission.uid();
        String entryUuid = UUID.randomUUID().toString();
        String setUniqueId = Submission.uid();
        String docUrl = "urn:uuid:" + UUID.randomUUID();
        String binaryUrl = "urn:uuid:" + UUID.randomUUID();
        String setUrl = "urn:uuid:" + UUID.randomUUID();
        Reference patient = new Reference("Patient/" + bsn);

        Organization hospital = new Organization();
        hospital.setId("author-org");
        hospital.addIdentifier().setSystem(Fhir.URA).setValue("12000001");
        hospital.setName("Ziekenhuis Amstelland (demo)");

        org.hl7.fhir.r4.model.Patient atSource = new org.hl7.fhir.r4.model.Patient();
        atSource.setId("source-patient");
        atSource.addIdentifier().setSystem("urn:oid:2.16.528.1.1007.3.3.12000001.2").setValue("PAT-" + UUID.randomUUID().toString().substring(0, 8));

        DocumentReference doc = new DocumentReference();
        doc.getMeta().addProfile(SD + "IHE.MHD.Comprehensive.DocumentReference");
        doc.addContained(hospital);
        doc.addContained(atSource);
        doc.setMasterIdentifier(new Identifier().setSystem("urn:ietf:rfc:3986").setValue("urn:oid:" + documentUniqueId));
        doc.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + entryUuid);
        doc.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        doc.setType(new CodeableConcept(new Coding(LOINC, "18782-3", "Radiology Study observation (narrative)")));
        doc.addCategory(new CodeableConcept(new Coding("urn:oid:1.3.6.1.4.1.19376.1.2.6.1", "REPORTS", "Reports")));
        doc.setSubject(patient);
        doc.setDate(Date.from(started.plusSeconds(7200)));
        doc.addAuthor(new Reference("#author-org"));
        doc.setDescription("Verslag MR knie (MHD)");
        doc.addSecurityLabel(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "N", "normal")));
        Attachment attachment = new Attachment()
                .setContentType("text/plain")
                .setLanguage("nl-NL")
                .setUrl(binaryUrl)
                .setTitle("Verslag MR knie")
                .setCreationElement(new org.hl7.fhir.r4.model.DateTimeType(Date.from(started.plusSeconds(3600))));
        doc.addContent().setAttachment(attachment)
                .setFormat(new Coding("http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode",
                        "urn:ihe:iti:xds:2017:mimeTypeSufficient", "mimeType Sufficient"));
        DocumentReference.DocumentReferenceContextComponent context = doc.getContext();
        context.addEvent(new CodeableConcept(new Coding(Fhir.DCM, "MR", "Magnetic Resonance")));
        context.addEvent(new CodeableConcept(new Coding(Fhir.SNOMED, "72696002", "Knie")));
        context.setPeriod(new Period().setStart(Date.from(started)));
        context.setFacilityType(new CodeableConcept(new Coding("urn:oid:2.16.840.1.113883.2.4.15.1060", "V4", "Ziekenhuis")));
        context.setSourcePatientInfo(new Reference("#source-patient"));
        context.setPracticeSetting(new CodeableConcept(new Coding("urn:oid:2.16.840.1.113883.2.4.6.7", "0362", "Radiologie")));
        context.addRelated(new Reference().setIdentifier(new Identifier().setSystem(Fhir.DICOM_UID).setValue("urn:oid:" + studyUid)));
        context.addRelated(new Reference().setIdentifier(new Identifier()
                .setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v2-0203", "ACSN", "Accession ID")))
                .setSystem("urn:oid:" + Studies.ACCESSION_ISSUER).setValue(accession)));

        Binary binary = new Binary();
        binary.setContentType("text/plain");
        binary.setData(content);

        ListResource set = new ListResource();
        set.getMeta().addProfile(SD + "IHE.MHD.Comprehensive.SubmissionSet");
        set.addContained(hospital.copy());
        set.addExtension(SD + "ihe-sourceId", new Identifier().setValue("urn:oid:2.16.528.1.1007.3.3.12000001"));
        set.addExtension(SD + "ihe-designationType",
                new CodeableConcept(new Coding(LOINC, "18748-4", "Diagnostic imaging study")));
        set.addIdentifier().setUse(Identifier.IdentifierUse.USUAL).setSystem("urn:ietf:rfc:3986").setValue("urn:oid:" + setUniqueId);
        set.addIdentifier().setUse(Identifier.IdentifierUse.OFFICIAL).setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + UUID.randomUUID());
        set.setStatus(ListResource.ListStatus.CURRENT);
        set.setMode(ListResource.ListMode.WORKING);
        set.setTitle("MHD conformance submission");
        set.setCode(new CodeableConcept(new Coding("https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes", "submissionset", "SubmissionSet")));
        set.setSubject(patient);
        set.setDateElement(new org.hl7.fhir.r4.model.DateTimeType(new Date()));
        set.setSource(new Reference("#author-org"));
        set.addEntry().setItem(new Reference(docUrl));

        Bundle bundle = new Bundle();
        bundle.getMeta().addProfile(SD + "IHE.MHD.Comprehensive.ProvideBundle");
        bundle.setType(Bundle.BundleType.TRANSACTION);
        bundle.setTimestampElement(InstantType.now());
        bundle.addEntry().setFullUrl(setUrl).setResource(set).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("List");
        bundle.addEntry().setFullUrl(docUrl).setResource(doc).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("DocumentReference");
        bundle.addEntry().setFullUrl(binaryUrl).setResource(binary).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Binary");
        return new Provided(bundle, documentUniqueId, entryUuid, setUniqueId, studyUid, accession, content);
    }
}
