package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.gateway.fhir.Golden;

import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ListResource;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;

import java.util.List;

import static nl.beeldbrug.gateway.fhir.mhd.MhdSamples.key;
import static nl.beeldbrug.gateway.fhir.mhd.MhdSamples.keys;
import static org.assertj.core.api.Assertions.assertThat;

/** SubmissionSet / Folder ⇄ List, both ways, against golden files and the MHD 4.2.1 profiles. */
class ListMappingTest {

    private final XdsListMapper mapper = new XdsListMapper();

    @Test
    void submissionSetMatchesItsGoldenFileAndProfile() {
        SubmissionSet set = MhdSamples.submissionSet();
        ListResource list = mapper.toList(set, List.of(MhdSamples.kos().getEntryUuid()), List.of(MhdSamples.folder().getEntryUuid()));
        Golden.assertMatches(list, "mhd/list-submissionset.json");
        MhdValidation.assertValid(list, MhdNaming.COMPREHENSIVE_SUBMISSION_SET);
        assertThat(list.getEntry()).extracting(e -> e.getItem().getReference()).containsExactly(
                "DocumentReference/6b4f3c1e-2d5a-4e8f-9b7c-0a1d2e3f4a5b", "List/9e7c6f4b-5a8d-4b1c-8e0f-3d4a5b6c7d8e");

        SubmissionSet back = mapper.toSubmissionSet(list, set.getPatientId());
        assertThat(back.getUniqueId()).isEqualTo(set.getUniqueId());
        assertThat(back.getEntryUuid()).isEqualTo(set.getEntryUuid());
        assertThat(back.getSourceId()).isEqualTo(set.getSourceId());
        assertThat(key(back.getContentTypeCode())).isEqualTo(key(set.getContentTypeCode()));
        assertThat(back.getSubmissionTime()).isEqualTo(set.getSubmissionTime());
        assertThat(back.getTitle().getValue()).isEqualTo(set.getTitle().getValue());
        assertThat(back.getAuthors().get(0).getAuthorPerson().getId()).isEqualTo(set.getAuthors().get(0).getAuthorPerson().getId());
        assertThat(back.getAuthors().get(0).getAuthorInstitution()).isEqualTo(set.getAuthors().get(0).getAuthorInstitution());
    }

    @Test
    void folderMatchesItsGoldenFileAndProfile() {
        Folder folder = MhdSamples.folder();
        ListResource list = mapper.toList(folder, List.of(MhdSamples.kos().getEntryUuid()));
        Golden.assertMatches(list, "mhd/list-folder.json");
        MhdValidation.assertValid(list, MhdNaming.COMPREHENSIVE_FOLDER);

        Folder back = mapper.toFolder(list, folder.getPatientId());
        assertThat(back.getUniqueId()).isEqualTo(folder.getUniqueId());
        assertThat(back.getEntryUuid()).isEqualTo(folder.getEntryUuid());
        assertThat(keys(back.getCodeList())).isEqualTo(keys(folder.getCodeList()));
        assertThat(back.getTitle().getValue()).isEqualTo(folder.getTitle().getValue());
    }

    @Test
    void theProfileValidationCanFail() {
        // a DocumentReference without subject, securityLabel and sourcePatientInfo is not MHD Comprehensive
        DocumentReference doc = new DocumentEntryToDocumentReferenceMapper().toDocumentReference(MhdSamples.kos(), List.of(), MhdSamples.BASE);
        doc.setSubject(null);
        doc.getSecurityLabel().clear();
        assertThat(MhdValidation.errors(doc, MhdNaming.COMPREHENSIVE_DOCUMENT_REFERENCE))
                .anyMatch(m -> m.contains("DocumentReference.subject"))
                .anyMatch(m -> m.contains("DocumentReference.securityLabel"));
        ListResource folder = mapper.toList(MhdSamples.folder(), List.of());
        folder.setSubject(new Reference());
        folder.getExtension().clear();
        assertThat(MhdValidation.errors(folder, MhdNaming.COMPREHENSIVE_FOLDER)).isNotEmpty();
    }
}
