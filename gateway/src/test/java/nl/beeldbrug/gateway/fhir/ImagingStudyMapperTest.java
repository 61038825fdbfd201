package nl.beeldbrug.gateway.fhir;

import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.ManifestContents;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Accession;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Organisation;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.StudyDocument;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The FHIR mappers against golden files, and every mapped resource valid against base R4. */
class ImagingStudyMapperTest {

    static final ImagingStudySummary CT_THORAX = new ImagingStudySummary(
            "1.2.528.1.1001.200.10.4711", "999990019",
            List.of(new Accession("ACC-4711", "2.16.528.1.1007.3.3.12000001"), new Accession("RIS-17", null)),
            List.of(new CodedValue("CT", "1.2.840.10008.2.16.4", "Computed Tomography")),
            List.of(new CodedValue("51185008", "2.16.840.1.113883.6.96", "Thorax")),
            Instant.parse("2024-03-01T10:00:00Z"), "CT thorax",
            new Organisation("Ziekenhuis Amstelland (demo)", "12000001"),
            List.of(new StudyDocument("urn:uuid:7c1c8b4e-0000-4000-8000-000000000001", "1.2.528.1.1001.200.10.4711.1",
                    "2.16.528.1.1007.3.3.12000001.1", "application/dicom", "CT thorax")),
            List.of(new StudyDocument("urn:uuid:7c1c8b4e-0000-4000-8000-000000000002", "1.2.528.1.1001.200.10.4711.2",
                    "2.16.528.1.1007.3.3.12000001.1", "application/pdf", "Verslag CT thorax")),
            new ManifestContents(List.of(new ManifestContents.Series("1.2.528.1.1001.200.10.4711.10", 120),
                    new ManifestContents.Series("1.2.528.1.1001.200.10.4711.11", 2))));

    static final ImagingStudySummary REPORT_ONLY = new ImagingStudySummary(
            "2.25.1234567890", "999990019", List.of(), List.of(new CodedValue("MR", "1.2.840.10008.2.16.4", null)),
            List.of(), null, null, new Organisation("ZDC zonder URA", null), List.of(),
            List.of(new StudyDocument("urn:uuid:7c1c8b4e-0000-4000-8000-000000000003", "2.25.1234567890.2",
                    "2.16.528.1.1007.3.3.12000001.1", "text/plain", "Verslag MRI")));

    private final ImagingStudyMapper mapper = new ImagingStudyMapper();

    @Test
    void availableStudy() {
        ImagingStudy study = mapper.toImagingStudy(CT_THORAX);

        Golden.assertMatches(study, "imagingstudy-available.json");
        assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        assertThat(study.getNumberOfSeries()).isEqualTo(2);
        assertThat(study.getNumberOfInstances()).isEqualTo(122);
        R4Validation.assertValid(study);
    }

    @Test
    void reportOnlyStudyIsRegisteredWithoutEndpoint() {
        ImagingStudy study = mapper.toImagingStudy(REPORT_ONLY);

        Golden.assertMatches(study, "imagingstudy-registered.json");
        assertThat(study.getEndpoint()).isEmpty();
        assertThat(study.hasStarted()).isFalse();
        assertThat(study.hasNumberOfSeries()).isFalse(); // unknown, not zero
        assertThat(study.hasNumberOfInstances()).isFalse();
        R4Validation.assertValid(study);
    }

    @Test
    void theValidatorFindsErrors() {
        // guards against a validation that passes because it checked nothing
        assertThat(R4Validation.errors(new ImagingStudy())).isNotEmpty();
    }

    @Test
    void patientOrganizationEndpoint() {
        Patient patient = new PatientMapper().toPatient("999990019");
        Organization organization = new OrganizationMapper().toOrganization(new Organisation("Ziekenhuis Amstelland (demo)", "12000001"));
        Endpoint endpoint = new OrganizationMapper().toWadoEndpoint("https://beeldbrug.example/dicomweb");

        Golden.assertMatches(patient, "patient.json");
        Golden.assertMatches(organization, "organization.json");
        Golden.assertMatches(endpoint, "endpoint.json");
        R4Validation.assertValid(patient);
        R4Validation.assertValid(organization);
        R4Validation.assertValid(endpoint);
    }
}
