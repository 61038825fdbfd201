package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import nl.beeldbrug.registry.imaging.PatientTimeline;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

import javax.sql.DataSource;
import java.util.List;

/**
 * FHIR Patient: the patients the affinity domain knows, id = BSN; read, search by BSN identifier, and
 * {@code Patient/<bsn>/$timeline}: the patient's imaging timeline (Twiin) as a searchset Bundle, one
 * ImagingStudy per study newest first, each referencing its reports ({@link FhirNaming#EXT_REPORT}).
 */
public final class PatientProvider implements IResourceProvider {

    private final DataSource dataSource;
    private final PatientIndex patients;
    private final PatientMapper mapper;
    private final PatientTimeline timeline;
    private final ImagingStudyMapper studies;

    public PatientProvider(DataSource dataSource, PatientIndex patients, PatientMapper mapper, PatientTimeline timeline,
                           ImagingStudyMapper studies) {
        this.dataSource = dataSource;
        this.patients = patients;
        this.mapper = mapper;
        this.timeline = timeline;
        this.studies = studies;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id) {
        Bsn bsn = Bsn.parse(id.getIdPart()).orElseThrow(() -> new InvalidRequestException("id: not a valid BSN"));
        if (!known(bsn)) {
            throw new ResourceNotFoundException("Patient: not known"); // the message never names the BSN (logs)
        }
        return mapper.toPatient(bsn.value());
    }

    @Search
    public List<Patient> search(@RequiredParam(name = Patient.SP_IDENTIFIER) TokenParam identifier) {
        if (identifier.getSystem() != null && !identifier.getSystem().isEmpty() && !FhirNaming.BSN.equals(identifier.getSystem())) {
            throw new InvalidRequestException("identifier: the system must be " + FhirNaming.BSN);
        }
        Bsn bsn = Bsn.parse(identifier.getValue()).orElseThrow(() -> new InvalidRequestException("identifier: not a valid BSN"));
        return known(bsn) ? List.of(mapper.toPatient(bsn.value())) : List.of();
    }

    /** The patient's imaging timeline: every study once, newest first, with its reports. */
    @Operation(name = TIMELINE, idempotent = true, bundleType = BundleTypeEnum.SEARCHSET)
    public Bundle timeline(@IdParam IdType id, RequestDetails request) {
        Patient patient = read(id);
        List<PatientTimeline.Entry> entries;
        try {
            entries = timeline.of(patient.getIdElement().getIdPart());
        } catch (PatientTimeline.TooManyStudies e) {
            throw new UnprocessableEntityException("$timeline: more than " + PatientTimeline.MAX_ENTRIES
                    + " studies; page through ImagingStudy?patient= instead");
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET).setTotal(entries.size());
        String base = request == null || request.getFhirServerBase() == null ? "" : request.getFhirServerBase() + "/";
        for (PatientTimeline.Entry entry : entries) {
            ImagingStudy study = studies.toImagingStudy(entry.study());
            bundle.addEntry().setFullUrl(base + "ImagingStudy/" + study.getIdElement().getIdPart()).setResource(study)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /** The name of the timeline operation. */
    public static final String TIMELINE = "$timeline";

    private boolean known(Bsn bsn) {
        return Database.read(dataSource, c -> patients.exists(c, bsn));
    }
}
