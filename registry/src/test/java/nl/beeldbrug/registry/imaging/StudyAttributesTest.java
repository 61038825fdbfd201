package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.testing.SampleMetadata;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.CXiAssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StudyAttributesTest {

    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);

    /** SampleMetadata names the study as a 2013 uniqueId; XDS-I.b uses the 2016 studyInstanceUID type. */
    static DocumentEntry withStudyUid(DocumentEntry entry, String uid) {
        entry.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        entry.getReferenceIdList().add(0, new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        return entry;
    }

    @Test
    void kosManifest() {
        DocumentEntry kos = withStudyUid(sample.kos("ignored"), "1.2.3.4");
        kos.getEventCodeList().add(SampleMetadata.MODALITY_MR);
        kos.getEventCodeList().add(SampleMetadata.MODALITY_CT); // twice: once in the index

        StudyAttributes attributes = StudyAttributes.of(kos);

        assertThat(attributes.belongsToStudy()).isTrue();
        assertThat(attributes.studyInstanceUid()).isEqualTo("1.2.3.4");
        String accession = kos.getReferenceIdList().stream()
                .filter(r -> ReferenceId.ID_TYPE_CODE_ACCESSION.equals(r.getIdTypeCode())).findFirst().orElseThrow().getId();
        assertThat(attributes.accessionKeys()).containsExactly(accession, "urn:oid:2.16.528.1.1007.99.217.4|" + accession);
        assertThat(attributes.modalityCodes()).containsExactly("CT", "MR");
        assertThat(attributes.bodySiteCodes()).containsExactly("51185008");
        assertThat(attributes.serviceStart()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
        assertThat(attributes.role()).isEqualTo(StudyAttributes.Role.MANIFEST);
    }

    @Test
    void reportWithoutIssuerOrBodySite() {
        DocumentEntry report = withStudyUid(sample.report("ignored"), "1.2.3.4");
        report.getReferenceIdList().add(new ReferenceId("A1", null, ReferenceId.ID_TYPE_CODE_ACCESSION));
        report.getReferenceIdList().add(new ReferenceId("A2", new CXiAssigningAuthority(null, "", "ISO"),
                ReferenceId.ID_TYPE_CODE_ACCESSION));
        report.setServiceStartTime((org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp) null);

        StudyAttributes attributes = StudyAttributes.of(report);

        assertThat(attributes.accessionKeys()).containsExactly("A1", "A2");
        assertThat(attributes.bodySiteCodes()).isEmpty();
        assertThat(attributes.serviceStart()).isNull();
        assertThat(attributes.role()).isEqualTo(StudyAttributes.Role.REPORT);
    }

    @Test
    void entryOfNoStudy() {
        // the 2013 uniqueId type names some object, not necessarily a study: not taken as one
        StudyAttributes attributes = StudyAttributes.of(sample.kos("1.2.3.4"));

        assertThat(attributes.belongsToStudy()).isFalse();
        assertThat(attributes.modalityCodes()).isEmpty();
        assertThat(attributes.role()).isNull();
    }

    @Test
    void firstStudyUidWins() {
        DocumentEntry report = withStudyUid(sample.report("x"), "1.2.3.4");
        report.getReferenceIdList().add(new ReferenceId("5.6.7", null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));

        assertThat(StudyAttributes.of(report).studyInstanceUid()).isEqualTo("1.2.3.4");
    }

    @Test
    void kosFormatCodeAsUrn() {
        DocumentEntry kos = sample.kos("x");
        kos.setFormatCode(SampleMetadata.code("urn:ihe:rad:1.2.840.10008.5.1.4.1.1.88.59", "KOS", "1.3.6.1.4.1.19376.1.2.3"));
        assertThat(StudyAttributes.isManifest(kos)).isTrue();
        assertThat(StudyAttributes.isManifest(sample.report("x"))).isFalse();
    }
}
