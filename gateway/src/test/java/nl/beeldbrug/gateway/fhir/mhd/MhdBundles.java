package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.testing.SampleMetadata;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.util.List;

/**
 * ITI-65 Provide Document Bundles for tests: a SubmissionSet, a KOS and a report of one new study
 * (contents as Binary entries, or the report's as attachment.data), and a Folder holding the report.
 * Entry order: SubmissionSet, KOS, KOS Binary, report, Folder[, report Binary].
 */
final class MhdBundles {

    private MhdBundles() {
    }

    /** A KOS (content as a Binary entry) and a report (attachment.data) in a Folder, for one new study. */
    static Bundle provideBundle(SampleMetadata a, String studyUid, String fhirBase, boolean inlineReport) {
        DocumentEntryToDocumentReferenceMapper toFhir = new DocumentEntryToDocumentReferenceMapper();
        DocumentEntry kos = a.kos(studyUid);
        DocumentEntry report = a.report(studyUid);
        for (DocumentEntry e : List.of(kos, report)) {
            e.getReferenceIdList().clear();
            e.getReferenceIdList().add(new ReferenceId(studyUid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
            e.setEntryUuid("urn:uuid:unused");
        }
        kos.getReferenceIdList().add(new ReferenceId("ACC" + Math.abs(studyUid.hashCode() % 100000),
                new CXiAssigningAuthority(null, "2.16.528.1.1007.99.217.4", "ISO"), ReferenceId.ID_TYPE_CODE_ACCESSION));
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.getMeta().addProfile(MhdNaming.COMPREHENSIVE_PROVIDE_BUNDLE);

        ListResource set = new XdsListMapper().toList(a.submissionSet(), List.of(), List.of());
        set.setId((String) null);
        set.getIdentifier().removeIf(i -> i.getUse() == org.hl7.fhir.r4.model.Identifier.IdentifierUse.OFFICIAL);
        set.getMeta().getProfile().clear();
        set.getMeta().addProfile(MhdNaming.COMPREHENSIVE_SUBMISSION_SET);
        set.setSubject(new Reference("Patient?identifier=" + FhirNaming.BSN + "|" + a.bsn().value()));
        set.addEntry().setItem(new Reference("urn:uuid:10000000-0000-4000-8000-000000000002"));
        set.addEntry().setItem(new Reference("urn:uuid:10000000-0000-4000-8000-000000000004"));
        set.addEntry().setItem(new Reference("urn:uuid:10000000-0000-4000-8000-000000000005"));
        add(bundle, "urn:uuid:10000000-0000-4000-8000-000000000001", set, "List");

        DocumentReference kosDoc = newDoc(toFhir.toDocumentReference(kos, List.of(), fhirBase));
        kosDoc.getContentFirstRep().getAttachment().setUrl("urn:uuid:10000000-0000-4000-8000-000000000003");
        kosDoc.setSubject(new Reference("Patient/" + a.bsn().value()));
        add(bundle, "urn:uuid:10000000-0000-4000-8000-000000000002", kosDoc, "DocumentReference");
        Binary binary = new Binary();
        binary.setContentType(kos.getMimeType());
        binary.setData(a.contentOf(kos));
        add(bundle, "urn:uuid:10000000-0000-4000-8000-000000000003", binary, "Binary");

        DocumentReference reportDoc = newDoc(toFhir.toDocumentReference(report, List.of(), fhirBase));
        if (inlineReport) {
            reportDoc.getContentFirstRep().getAttachment().setUrl(null).setData(a.contentOf(report));
        } else {
            reportDoc.getContentFirstRep().getAttachment().setUrl("urn:uuid:10000000-0000-4000-8000-000000000006");
        }
        reportDoc.setSubject(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier()
                .setSystem(FhirNaming.BSN).setValue(a.bsn().value())));
        add(bundle, "urn:uuid:10000000-0000-4000-8000-000000000004", reportDoc, "DocumentReference");

        ListResource folder = new XdsListMapper().toList(a.folder(), List.of());
        folder.setId((String) null);
        folder.getIdentifier().removeIf(i -> i.getUse() == org.hl7.fhir.r4.model.Identifier.IdentifierUse.OFFICIAL);
        folder.setSubject(new Reference(fhirBase + "/Patient/" + a.bsn().value()));
        folder.addEntry().setItem(new Reference("urn:uuid:10000000-0000-4000-8000-000000000004"));
        add(bundle, "urn:uuid:10000000-0000-4000-8000-000000000005", folder, "List");
        if (!inlineReport) {
            Binary reportBinary = new Binary();
            reportBinary.setContentType(report.getMimeType());
            reportBinary.setData(a.contentOf(report));
            add(bundle, "urn:uuid:10000000-0000-4000-8000-000000000006", reportBinary, "Binary");
        }
        return bundle;
    }

    private static DocumentReference newDoc(DocumentReference doc) {
        doc.setId((String) null);
        doc.getIdentifier().clear();
        doc.setStatus(org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus.CURRENT);
        doc.getContentFirstRep().getAttachment().setHash(null).setSize(0);
        doc.getContentFirstRep().getAttachment().setSizeElement(null);
        return doc;
    }

    private static void add(Bundle bundle, String fullUrl, Resource resource, String type) {
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(type);
    }

}
