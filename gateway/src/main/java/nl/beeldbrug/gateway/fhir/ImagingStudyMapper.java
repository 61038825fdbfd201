package nl.beeldbrug.gateway.fhir;

import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Accession;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.StudyDocument;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

import java.util.Date;
import java.util.TimeZone;

/**
 * The registry's view of a study as a FHIR R4 ImagingStudy: id and identifier = Study Instance UID,
 * accession numbers (type ACSN), modalities (DCM), status (available with a KOS manifest, else
 * registered), the patient by BSN, started, description (the manifest's title) and the WADO-RS
 * Endpoint; numberOfSeries and numberOfInstances when the manifests' content is known (series entries
 * are not listed: R4 requires each series' modality, which a KOS does not carry). Body sites and the
 * performing organisation are study-level extensions (R4 keeps them on series, which the XDS metadata
 * does not list). Each report of the study is an extension referencing
 * its DocumentReference (MHD: {@code DocumentReference/<entryUUID without urn:uuid:>}). Pure.
 */
public final class ImagingStudyMapper {

    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    public ImagingStudy toImagingStudy(ImagingStudySummary summary) {
        ImagingStudy study = new ImagingStudy();
        study.setId(summary.studyInstanceUid());
        study.addIdentifier().setSystem(FhirNaming.DICOM_UID).setValue("urn:oid:" + summary.studyInstanceUid());
        for (Accession accession : summary.accessions()) {
            Identifier identifier = study.addIdentifier()
                    .setType(new CodeableConcept(new Coding(FhirNaming.V2_0203, "ACSN", "Accession ID")))
                    .setValue(accession.value());
            if (accession.issuerOid() != null && !accession.issuerOid().isEmpty()) {
                identifier.setSystem("urn:oid:" + accession.issuerOid());
            }
        }
        study.setStatus(summary.available() ? ImagingStudy.ImagingStudyStatus.AVAILABLE : ImagingStudy.ImagingStudyStatus.REGISTERED);
        for (CodedValue modality : summary.modalities()) {
            study.addModality(coding(modality));
        }
        study.setSubject(PatientMapper.reference(summary.patientBsn()));
        if (summary.started() != null) {
            study.setStartedElement(new DateTimeType(Date.from(summary.started()), TemporalPrecisionEnum.SECOND, UTC));
        }
        if (summary.available()) {
            study.addEndpoint(new Reference("Endpoint/" + FhirNaming.WADO_ENDPOINT_ID));
        }
        if (summary.contents() != null) { // known only when every manifest's content was read
            study.setNumberOfSeries(summary.contents().seriesCount());
            study.setNumberOfInstances(summary.contents().instanceCount());
        }
        if (summary.description() != null) {
            study.setDescription(summary.description());
        }
        for (CodedValue bodySite : summary.bodySites()) {
            study.addExtension(FhirNaming.EXT_BODY_SITE, coding(bodySite));
        }
        if (summary.performer() != null && summary.performer().ura() != null) {
            study.addExtension(FhirNaming.EXT_PERFORMER, OrganizationMapper.reference(summary.performer()));
        }
        for (StudyDocument report : summary.reports()) {
            Reference reference = new Reference("DocumentReference/" + FhirNaming.documentReferenceId(report.entryUuid()));
            if (report.title() != null && !report.title().isEmpty()) {
                reference.setDisplay(report.title());
            }
            study.addExtension(FhirNaming.EXT_REPORT, reference);
        }
        return study;
    }

    private static Coding coding(CodedValue value) {
        Coding coding = new Coding(FhirNaming.systemOf(value.schemeOid()), value.code(), null);
        if (value.display() != null && !value.display().isEmpty()) {
            coding.setDisplay(value.display());
        }
        return coding;
    }
}
