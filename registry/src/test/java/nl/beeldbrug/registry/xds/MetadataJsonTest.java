package nl.beeldbrug.registry.xds;

import nl.beeldbrug.registry.testing.SampleMetadata;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationLabel;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Code;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentAvailability;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.JsonUtils;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.LocalizedString;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.PatientInfo;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Version;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored form of the IPF model: write then read gives an equal object (IPF's equals covers all fields). */
class MetadataJsonTest {

    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);

    @Test
    void documentEntryRoundTrips() {
        DocumentEntry entry = sample.kos(SampleMetadata.newUid());
        entry.setEntryUuid("urn:uuid:6f3c1c5e-1d0a-4c1e-9a57-5d3c8e1f0a11");
        entry.setLogicalUuid(entry.getEntryUuid());
        entry.setVersion(new Version("1"));
        entry.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        entry.setDocumentAvailability(DocumentAvailability.ONLINE);
        entry.setExtraMetadata(Map.of("urn:beeldbrug:studyDescription", List.of("CT thorax")));
        entry.setCreationTime(new Timestamp(ZonedDateTime.of(2024, 3, 1, 0, 0, 0, 0, ZoneOffset.UTC), Timestamp.Precision.DAY));

        DocumentEntry copy = roundTrip(entry);

        // PatientInfo's equals also compares empty HL7 fields (an absent birth time comes back as an empty
        // PID-7): compare its content field by field, and everything else with IPF's equals
        assertThat(hl7Fields(copy.getSourcePatientInfo())).isEqualTo(hl7Fields(entry.getSourcePatientInfo()))
                .containsKeys("PID-3", "PID-5", "PID-8");
        copy.setSourcePatientInfo(entry.getSourcePatientInfo());
        assertThat(copy).isEqualTo(entry).isNotSameAs(entry);
        assertThat(copy.getReferenceIdList()).isEqualTo(entry.getReferenceIdList()).hasSize(2);
        assertThat(copy.getEventCodeList()).containsExactlyElementsOf(entry.getEventCodeList());
        assertThat(copy.getAuthors()).isEqualTo(entry.getAuthors());
        assertThat(copy.getCreationTime().getPrecision()).isEqualTo(Timestamp.Precision.DAY);
        assertThat(copy.getCreationTime().toHL7()).isEqualTo("20240301");
        assertThat(copy.getServiceStartTime()).isEqualTo(entry.getServiceStartTime());
        assertThat(copy.getHash()).isEqualTo(entry.getHash());
        assertThat(copy.getSize()).isEqualTo(entry.getSize());
    }

    @Test
    void submissionSetRoundTrips() {
        SubmissionSet set = sample.submissionSet();
        set.setEntryUuid("urn:uuid:0e2f5f2b-1b7e-4d4f-8d0d-7c6a7c3e9b22");
        set.setAvailabilityStatus(AvailabilityStatus.APPROVED);

        SubmissionSet copy = roundTrip(set);

        assertThat(copy).isEqualTo(set);
        assertThat(copy.getSubmissionTime().getDateTime().toInstant()).isEqualTo(set.getSubmissionTime().getDateTime().toInstant());
        assertThat(copy.getContentTypeCode()).isEqualTo(SampleMetadata.CONTENT_TYPE_IMAGING);
    }

    @Test
    void folderRoundTrips() {
        Folder folder = sample.folder(SampleMetadata.PRACTICE_RADIOLOGY, SampleMetadata.REGION_CHEST);
        folder.setEntryUuid("urn:uuid:3a1e8b0c-5b8e-4f0a-9f64-1c2d3e4f5a66");
        folder.setLastUpdateTime(SampleMetadata.time(SampleMetadata.STUDY_START));
        folder.setAvailabilityStatus(AvailabilityStatus.APPROVED);

        Folder copy = roundTrip(folder);

        assertThat(copy).isEqualTo(folder);
        assertThat(copy.getCodeList()).containsExactly(SampleMetadata.PRACTICE_RADIOLOGY, SampleMetadata.REGION_CHEST);
    }

    @Test
    void associationRoundTrips() {
        Association association = new Association(AssociationType.HAS_MEMBER,
                "urn:uuid:9d1c7b6a-2f3e-4a5b-8c7d-6e5f4a3b2c11",
                "urn:uuid:0e2f5f2b-1b7e-4d4f-8d0d-7c6a7c3e9b22", "urn:uuid:6f3c1c5e-1d0a-4c1e-9a57-5d3c8e1f0a11");
        association.setLabel(AssociationLabel.ORIGINAL);
        association.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        association.setPreviousVersion("1");

        Association copy = roundTrip(association);

        assertThat(copy).isEqualTo(association);
        assertThat(copy.getAssociationType()).isEqualTo(AssociationType.HAS_MEMBER);
        assertThat(copy.getLabel()).isEqualTo(AssociationLabel.ORIGINAL);
    }

    @Test
    void documentRelationshipRoundTrips() {
        Association replace = new Association(AssociationType.REPLACE, "urn:uuid:1", "urn:uuid:2", "urn:uuid:3");
        replace.setAvailabilityStatus(AvailabilityStatus.APPROVED);
        assertThat(roundTrip(replace)).isEqualTo(replace);
    }

    @Test
    void codeDisplayNameKeepsItsLanguage() {
        DocumentEntry entry = sample.report(SampleMetadata.newUid());
        Code dutch = new Code("N", new LocalizedString("Normaal", "nl-NL", "UTF-8"), SampleMetadata.CONFIDENTIALITY);
        entry.getConfidentialityCodes().set(0, dutch);

        DocumentEntry copy = roundTrip(entry);

        assertThat(copy.getConfidentialityCodes()).containsExactly(dutch);
        assertThat(copy.getConfidentialityCodes().get(0).getDisplayName().getLang()).isEqualTo("nl-NL");
        assertThat(copy.getConfidentialityCodes().get(0).getDisplayName().getValue()).isEqualTo("Normaal");
    }

    @Test
    void codesWithoutDisplayNameRoundTrip() {
        Folder folder = sample.folder(new Code("X1", null, "1.2.3"));
        assertThat(roundTrip(folder).getCodeList()).containsExactly(new Code("X1", null, "1.2.3"));
    }

    @Test
    void readsCodesStoredInIpfsOwnFormWithTheDisplayNameAsText() throws Exception {
        Folder folder = sample.folder(SampleMetadata.PRACTICE_RADIOLOGY);
        String storedByIpfsMapper = JsonUtils.createObjectMapper().writeValueAsString(folder);
        assertThat(storedByIpfsMapper).contains("\"displayName\":\"Radiology\"");

        Folder read = MetadataJson.read(storedByIpfsMapper, Folder.class);

        assertThat(read.getCodeList()).containsExactly(
                new Code("394914008", new LocalizedString("Radiology"), SampleMetadata.SNOMED));
    }

    @Test
    void codesAreReadPastUnknownFieldsAndNulls() {
        String json = "{\"code\":[{\"extra\":{\"a\":[1,{\"b\":2}]},\"code\":\"X1\",\"codeSystemName\":\"1.2.3\","
                + "\"displayName\":{\"value\":\"Een\",\"other\":[3],\"language\":\"nl-NL\"},\"more\":null},"
                + "{\"code\":\"X2\",\"codeSystemName\":null,\"displayName\":null},"
                + "{\"code\":\"X3\",\"codeSystemName\":\"1.2.4\",\"displayName\":7}]}";

        Folder read = MetadataJson.read(json, Folder.class);

        assertThat(read.getCodeList()).containsExactly(
                new Code("X1", new LocalizedString("Een", "nl-NL", "UTF-8"), "1.2.3"),
                new Code("X2", null, null),
                new Code("X3", null, "1.2.4"));
    }

    @Test
    void copyIsDeepAndEqual() {
        DocumentEntry entry = sample.report(SampleMetadata.newUid());
        DocumentEntry copy = MetadataJson.copy(entry);
        copy.getEventCodeList().clear();
        assertThat(entry.getEventCodeList()).isNotEmpty();
    }

    /** The non-empty HL7 fields of a PatientInfo, by field id (PID-3, PID-5, ...). */
    private static Map<String, List<String>> hl7Fields(PatientInfo info) {
        Map<String, List<String>> fields = new TreeMap<>();
        for (String id : info.getAllFieldIds()) {
            List<String> values = new ArrayList<>();
            info.getHl7FieldIterator(id).forEachRemaining(values::add);
            if (!values.isEmpty()) {
                fields.put(id, values);
            }
        }
        return fields;
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T object) {
        String json = MetadataJson.write(object);
        return (T) MetadataJson.read(json, object.getClass());
    }
}
