package nl.beeldbrug.bench.fhir;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Study UIDs read from a searchset as the peer (compact, id = UID) and Beeldbrug (pretty, urn:dicom:uid) write it. */
class StudyUidsTest {

    @Test
    void readsTheUidsOfAHapiJpaSearchset() {
        String peer = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":2,\"entry\":["
                + "{\"fullUrl\":\"http://127.0.0.1/fhir/ImagingStudy/2.25.11\",\"resource\":{\"resourceType\":\"ImagingStudy\",\"id\":\"2.25.11\","
                + "\"meta\":{\"versionId\":\"1\"},\"identifier\":[{\"system\":\"urn:dicom:uid\",\"value\":\"urn:oid:2.25.11\"}],"
                + "\"subject\":{\"reference\":\"Patient/p1\"}}},"
                + "{\"resource\":{\"resourceType\":\"ImagingStudy\",\"id\":\"2.25.12\",\"subject\":{\"reference\":\"Patient/p1\"}}}]}";
        assertThat(StudyUids.of(peer)).containsExactly("2.25.11", "2.25.12");
    }

    @Test
    void prefersTheDicomIdentifierOverAnOpaqueIdAndFindsNothingInAnEmptySet() {
        String pretty = """
                {
                  "resourceType": "Bundle", "type": "searchset", "total": 1,
                  "entry": [ { "resource": { "resourceType": "ImagingStudy", "id": "abc",
                    "identifier": [ { "system": "urn:dicom:uid", "value": "urn:oid:1.2.3.4" } ] } } ]
                }""";
        assertThat(StudyUids.of(pretty)).containsExactly("1.2.3.4");
        assertThat(StudyUids.of("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":0}")).isEmpty();
    }
}
