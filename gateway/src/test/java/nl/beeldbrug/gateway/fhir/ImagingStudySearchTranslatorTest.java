package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.registry.imaging.StudySearch;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImagingStudySearchTranslatorTest {

    private final ImagingStudySearchTranslator translator = new ImagingStudySearchTranslator();
    private static final String BSN = "999990019";

    private StudySearch search(ReferenceParam patient, TokenOrListParam identifier, TokenOrListParam modality,
                               TokenOrListParam bodySite, DateRangeParam started, TokenOrListParam status) {
        return translator.toSearch(patient, identifier, modality, bodySite, started, status, null).orElseThrow();
    }

    @Test
    void patientAsReferenceOrIdentifier() {
        assertThat(search(new ReferenceParam("Patient/" + BSN), null, null, null, null, null).patientBsn()).isEqualTo(BSN);
        assertThat(search(new ReferenceParam(BSN), null, null, null, null, null).patientBsn()).isEqualTo(BSN);
        assertThat(search(new ReferenceParam(FhirNaming.BSN + "|" + BSN), null, null, null, null, null).patientBsn()).isEqualTo(BSN);
        assertThat(search(new ReferenceParam("identifier", FhirNaming.BSN + "|" + BSN), null, null, null, null, null).patientBsn())
                .isEqualTo(BSN);
    }

    @Test
    void invalidPatient() {
        assertThatThrownBy(() -> search(new ReferenceParam("Patient/123456789"), null, null, null, null, null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("patient").hasMessageNotContaining("123456789");
        assertThatThrownBy(() -> search(new ReferenceParam("urn:oid:1.2|" + BSN), null, null, null, null, null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("patient");
        assertThatThrownBy(() -> search(null, null, new TokenOrListParam(null, "CT"), null, null, null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("patient or identifier");
    }

    @Test
    void identifiers() {
        StudySearch byUid = search(null, new TokenOrListParam(FhirNaming.DICOM_UID, "urn:oid:1.2.3"), null, null, null, null);
        assertThat(byUid.studyInstanceUids()).containsExactly("1.2.3");
        StudySearch byAccession = search(null, new TokenOrListParam(null, "ACC-1"), null, null, null, null);
        assertThat(byAccession.accessionKeys()).containsExactly("ACC-1");
        StudySearch issued = search(null, new TokenOrListParam("urn:oid:2.16.528.1", "ACC-1"), null, null, null, null);
        assertThat(issued.accessionKeys()).containsExactly("urn:oid:2.16.528.1|ACC-1");
        assertThatThrownBy(() -> search(null, new TokenOrListParam(FhirNaming.DICOM_UID, "1.2.3"), null, null, null, null))
                .hasMessageContaining("identifier");
        assertThatThrownBy(() -> search(null, new TokenOrListParam("http://example.org", "x"), null, null, null, null))
                .hasMessageContaining("identifier");
    }

    @Test
    void codesStatusAndDates() {
        ReferenceParam patient = new ReferenceParam("Patient/" + BSN);
        StudySearch s = search(patient, null, new TokenOrListParam(FhirNaming.DCM, "CT").add(null, "MR"),
                new TokenOrListParam(FhirNaming.SNOMED, "51185008"),
                new DateRangeParam("2024-01-01T00:00:00Z", "2024-12-31T23:59:59Z"), new TokenOrListParam(null, "available"));
        assertThat(s.modalities()).containsExactly("CT", "MR");
        assertThat(s.bodySites()).containsExactly("51185008");
        assertThat(s.available()).isTrue();
        assertThat(s.startedFrom()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(s.startedBefore()).isAfter(Instant.parse("2024-12-31T23:59:59Z"));

        assertThat(search(patient, null, null, null, null, new TokenOrListParam(null, "registered").add(null, "available")).available())
                .isNull();
        assertThat(translator.toSearch(patient, null, null, null, null, new TokenOrListParam(null, "cancelled"), null)).isEmpty();
        assertThatThrownBy(() -> search(patient, null, null, null, null, new TokenOrListParam(null, "done")))
                .hasMessageContaining("status");
        assertThatThrownBy(() -> search(patient, null, new TokenOrListParam(FhirNaming.SNOMED, "CT"), null, null, null))
                .hasMessageContaining("modality");
        assertThatThrownBy(() -> search(patient, null, null, new TokenOrListParam(FhirNaming.DCM, "CT"), null, null))
                .hasMessageContaining("bodysite");
    }

    @Test
    void startedRangesCoverWholePeriods() {
        Instant[] lt = ImagingStudySearchTranslator.startedBounds(new DateRangeParam().setUpperBound("lt2024-01-31"));
        assertThat(lt).containsExactly(null, Instant.parse("2024-01-31T00:00:00Z"));
        Instant[] le = ImagingStudySearchTranslator.startedBounds(new DateRangeParam().setUpperBound("le2024-01-31"));
        assertThat(le).containsExactly(null, Instant.parse("2024-02-01T00:00:00Z"));
        Instant[] gt = ImagingStudySearchTranslator.startedBounds(new DateRangeParam().setLowerBound("gt2024-01-31"));
        assertThat(gt).containsExactly(Instant.parse("2024-02-01T00:00:00Z"), null);
        Instant[] eqMonth = ImagingStudySearchTranslator.startedBounds(new DateRangeParam(new ca.uhn.fhir.rest.param.DateParam("2024-02")));
        assertThat(eqMonth).containsExactly(Instant.parse("2024-02-01T00:00:00Z"), Instant.parse("2024-03-01T00:00:00Z"));
        Instant[] seconds = ImagingStudySearchTranslator.startedBounds(
                new DateRangeParam("ge2024-03-01T10:00:00+01:00", "lt2024-03-01T12:00:00Z"));
        assertThat(seconds).containsExactly(Instant.parse("2024-03-01T09:00:00Z"), Instant.parse("2024-03-01T12:00:00Z"));
    }

    @Test
    void onlyNewestFirst() {
        ImagingStudySearchTranslator.checkSort(null);
        ImagingStudySearchTranslator.checkSort(new SortSpec("started", SortOrderEnum.DESC));
        assertThatThrownBy(() -> ImagingStudySearchTranslator.checkSort(new SortSpec("started", SortOrderEnum.ASC)))
                .hasMessageContaining("_sort");
        assertThat(List.of()).isEmpty();
    }

    @Test
    void endpointMeansAvailable() {
        StudySearch all = StudySearch.forPatient(BSN);
        ca.uhn.fhir.rest.param.ReferenceOrListParam wado = new ca.uhn.fhir.rest.param.ReferenceOrListParam()
                .add(new ReferenceParam("Endpoint/" + FhirNaming.WADO_ENDPOINT_ID));
        assertThat(translator.withEndpoint(all, wado).orElseThrow().available()).isTrue();
        assertThat(translator.withEndpoint(all, new ca.uhn.fhir.rest.param.ReferenceOrListParam()
                .add(new ReferenceParam(FhirNaming.WADO_ENDPOINT_ID))).orElseThrow().available()).isTrue();
        assertThat(translator.withEndpoint(all, null)).contains(all);
        assertThat(translator.withEndpoint(all, new ca.uhn.fhir.rest.param.ReferenceOrListParam()
                .add(new ReferenceParam("Endpoint/other")))).isEmpty();
        assertThat(translator.withEndpoint(all.withAvailable(false), wado)).isEmpty(); // status=registered&endpoint=…
        assertThatThrownBy(() -> translator.withEndpoint(all, new ca.uhn.fhir.rest.param.ReferenceOrListParam()
                .add(new ReferenceParam("Patient/" + BSN))))
                .isInstanceOf(InvalidRequestException.class).hasMessageStartingWith("endpoint");
    }
}
