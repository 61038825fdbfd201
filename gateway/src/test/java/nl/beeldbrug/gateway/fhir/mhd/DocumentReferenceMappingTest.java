package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.fhir.Golden;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.util.List;

import static nl.beeldbrug.gateway.fhir.mhd.MhdSamples.key;
import static nl.beeldbrug.gateway.fhir.mhd.MhdSamples.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DocumentEntry ⇄ DocumentReference, both ways: golden files, round trips, and the MHD 4.2.1 profile. */
class DocumentReferenceMappingTest {

    private final DocumentEntryToDocumentReferenceMapper toFhir = new DocumentEntryToDocumentReferenceMapper();
    private final DocumentReferenceToDocumentEntryMapper toXds = new DocumentReferenceToDocumentEntryMapper();

    @Test
    void kosManifestMatchesItsGoldenFileAndTheMhdProfile() {
        DocumentReference doc = toFhir.toDocumentReference(MhdSamples.kos(), List.of(), MhdSamples.BASE);
        Golden.assertMatches(doc, "mhd/documentreference-kos.json");
        MhdValidation.assertValid(doc, MhdNaming.COMPREHENSIVE_DOCUMENT_REFERENCE);
        assertThat(doc.getIdElement().getIdPart()).isEqualTo("6b4f3c1e-2d5a-4e8f-9b7c-0a1d2e3f4a5b");
        assertThat(doc.getContext().getRelated()).extracting(Reference::getReference)
                .containsExactly("ImagingStudy/" + MhdSamples.STUDY_UID, null);
        assertThat(doc.getContentFirstRep().getAttachment().getUrl()).isEqualTo(MhdSamples.BASE + "/Binary/1.2.528.1.1007.99.217.10.1");
    }

    @Test
    void deprecatedReportThatReplacesAnotherMatchesItsGoldenFile() {
        DocumentEntry report = MhdSamples.report();
        Association replaces = new Association(AssociationType.REPLACE, "urn:uuid:00000000-0000-4000-8000-000000000001",
                report.getEntryUuid(), MhdSamples.kos().getEntryUuid());
        Association unrelated = new Association(AssociationType.HAS_MEMBER, "urn:uuid:00000000-0000-4000-8000-000000000002",
                "urn:uuid:00000000-0000-4000-8000-000000000003", report.getEntryUuid());
        DocumentReference doc = toFhir.toDocumentReference(report, List.of(replaces, unrelated), MhdSamples.BASE);
        Golden.assertMatches(doc, "mhd/documentreference-report.json");
        MhdValidation.assertValid(doc, MhdNaming.COMPREHENSIVE_DOCUMENT_REFERENCE);
        assertThat(doc.getStatus().toCode()).isEqualTo("superseded");
        assertThat(doc.getRelatesTo()).singleElement().satisfies(r -> {
            assertThat(r.getCode().toCode()).isEqualTo("replaces");
            assertThat(r.getTarget().getReference()).isEqualTo("DocumentReference/6b4f3c1e-2d5a-4e8f-9b7c-0a1d2e3f4a5b");
        });
    }

    @Test
    void entrySurvivesTheRoundTripThroughFhir() {
        DocumentEntry original = MhdSamples.kos();
        DocumentReference doc = toFhir.toDocumentReference(original, List.of(), MhdSamples.BASE);
        DocumentEntry back = toXds.toDocumentEntry(parse(doc), original.getPatientId());

        assertThat(back.getUniqueId()).isEqualTo(original.getUniqueId());
        assertThat(back.getEntryUuid()).isEqualTo(original.getEntryUuid());
        assertThat(back.getPatientId()).isEqualTo(original.getPatientId());
        assertThat(key(back.getClassCode())).isEqualTo(key(original.getClassCode()));
        assertThat(key(back.getTypeCode())).isEqualTo(key(original.getTypeCode()));
        assertThat(key(back.getFormatCode())).isEqualTo(key(original.getFormatCode()));
        assertThat(key(back.getHealthcareFacilityTypeCode())).isEqualTo(key(original.getHealthcareFacilityTypeCode()));
        assertThat(key(back.getPracticeSettingCode())).isEqualTo(key(original.getPracticeSettingCode()));
        assertThat(keys(back.getConfidentialityCodes())).isEqualTo(keys(original.getConfidentialityCodes()));
        assertThat(keys(back.getEventCodeList())).isEqualTo(keys(original.getEventCodeList()));
        assertThat(back.getMimeType()).isEqualTo(original.getMimeType());
        assertThat(back.getLanguageCode()).isEqualTo(original.getLanguageCode());
        assertThat(back.getHash()).isEqualTo(original.getHash());
        assertThat(back.getSize()).isEqualTo(original.getSize());
        assertThat(back.getTitle().getValue()).isEqualTo(original.getTitle().getValue());
        assertThat(back.getCreationTime()).isEqualTo(original.getCreationTime());
        assertThat(back.getServiceStartTime()).isEqualTo(original.getServiceStartTime());
        assertThat(back.getServiceStopTime()).isEqualTo(original.getServiceStopTime());
        assertThat(back.getReferenceIdList()).isEqualTo(original.getReferenceIdList());
        assertThat(back.getSourcePatientId()).isEqualTo(original.getSourcePatientId());
        assertThat(back.getSourcePatientInfo().getGender()).isEqualTo("F");
        assertThat(back.getSourcePatientInfo().getNames().next().getFamilyName()).isEqualTo("Testpatiënt");
        Author author = back.getAuthors().get(0);
        Author expected = original.getAuthors().get(0);
        assertThat(author.getAuthorPerson().getId()).isEqualTo(expected.getAuthorPerson().getId());
        assertThat(author.getAuthorPerson().getName().getFamilyName()).isEqualTo("Jansen");
        assertThat(author.getAuthorPerson().getName().getGivenName()).isEqualTo("Pieter");
        assertThat(author.getAuthorInstitution()).isEqualTo(expected.getAuthorInstitution());
        assertThat(author.getAuthorRole()).isEqualTo(expected.getAuthorRole());
        assertThat(author.getAuthorSpecialty()).isEqualTo(expected.getAuthorSpecialty());
        assertThat(back.getLegalAuthenticator().getId()).isEqualTo(original.getLegalAuthenticator().getId());

        // and the FHIR side is a fixed point: XDS → FHIR → XDS → FHIR gives the same resource
        back.setAvailabilityStatus(original.getAvailabilityStatus());
        assertThat(json(toFhir.toDocumentReference(back, List.of(), MhdSamples.BASE))).isEqualTo(json(doc));
    }

    @Test
    void relatedStudyAndAccessionMapBackToTheReferenceIdList() {
        assertThat(DocumentReferenceToDocumentEntryMapper.referenceId(new Reference("ImagingStudy/1.2.3.4")))
                .isEqualTo(new ReferenceId("1.2.3.4", null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        assertThat(DocumentReferenceToDocumentEntryMapper.referenceId(new Reference("https://elders.example/fhir/ImagingStudy/1.2.3.4")))
                .isEqualTo(new ReferenceId("1.2.3.4", null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        assertThat(DocumentReferenceToDocumentEntryMapper.referenceId(new Reference()
                .setIdentifier(new Identifier().setSystem(FhirNaming.DICOM_UID).setValue("urn:oid:1.2.3.5"))))
                .isEqualTo(new ReferenceId("1.2.3.5", null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        Reference accession = DocumentEntryToDocumentReferenceMapper.related(MhdSamples.kos().getReferenceIdList().get(1));
        assertThat(DocumentReferenceToDocumentEntryMapper.referenceId(accession)).isEqualTo(MhdSamples.kos().getReferenceIdList().get(1));
        assertThatThrownBy(() -> DocumentReferenceToDocumentEntryMapper.referenceId(new Reference("Encounter/1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("context.related");
        assertThatThrownBy(() -> DocumentReferenceToDocumentEntryMapper.referenceId(new Reference()
                .setIdentifier(new Identifier().setSystem("urn:oid:1.2.3").setValue("x"))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("type");
    }

    private static DocumentReference parse(DocumentReference doc) {
        return FhirContext.forR4Cached().newJsonParser().parseResource(DocumentReference.class, json(doc));
    }

    private static String json(DocumentReference doc) {
        return FhirContext.forR4Cached().newJsonParser().encodeResourceToString(doc);
    }
}
