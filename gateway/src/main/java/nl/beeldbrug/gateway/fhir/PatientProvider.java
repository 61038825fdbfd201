package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.model.valueset.BundleTypeEnum;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.PatientTimeline;
import nl.beeldbrug.registry.imaging.StudyEntry;
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
import java.util.Optional;
import java.util.Set;

/**
 * FHIR Patient: the patients the affinity domain knows, id = BSN; read, search by BSN identifier, and
 * {@code Patient/<bsn>/$timeline}: the patient's imaging timeline (Twiin) as a searchset Bundle, one
 * ImagingStudy per study newest first, each referencing its reports ({@link FhirNaming#EXT_REPORT}).
 * <p>
 * Consent (issue 6): a patient is shown only when the requester may see at least one of the patient's documents
 * ({@link FhirRelease}); otherwise read, search and {@code $timeline} answer exactly as for an unknown patient.
 * The timeline leaves out what is denied as if it had never been registered.
 */
public final class PatientProvider implements IResourceProvider {

    private final DataSource dataSource;
    private final PatientIndex patients;
    private final PatientMapper mapper;
    private final PatientTimeline timeline;
    private final ImagingStudyMapper studies;
    private final ImagingStudyIndex index;
    private final FhirRelease release;

    public PatientProvider(DataSource dataSource, PatientIndex patients, PatientMapper mapper, ImagingStudyIndex index,
                           ImagingStudyMapper studies, FhirRelease release) {
        this.dataSource = dataSource;
        this.patients = patients;
        this.mapper = mapper;
        this.timeline = new PatientTimeline(index);
        this.studies = studies;
        this.index = index;
        this.release = release;
    }

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Read
    public Patient read(@IdParam IdType id, RequestDetails request) {
        Bsn bsn = Bsn.parse(id.getIdPart()).orElseThrow(() -> new InvalidRequestException("id: not a valid BSN"));
        visible(bsn, request).orElseThrow(() -> new ResourceNotFoundException("Patient: not known")); // never names the BSN (logs)
        return mapper.toPatient(bsn.value());
    }

    @Search
    public List<Patient> search(@RequiredParam(name = Patient.SP_IDENTIFIER) TokenParam identifier, RequestDetails request) {
        if (identifier.getSystem() != null && !identifier.getSystem().isEmpty() && !FhirNaming.BSN.equals(identifier.getSystem())) {
            throw new InvalidRequestException("identifier: the system must be " + FhirNaming.BSN);
        }
        Bsn bsn = Bsn.parse(identifier.getValue()).orElseThrow(() -> new InvalidRequestException("identifier: not a valid BSN"));
        return visible(bsn, request).isPresent() ? List.of(mapper.toPatient(bsn.value())) : List.of();
    }

    /** The patient's imaging timeline: every study once, newest first, with its reports. */
    @Operation(name = TIMELINE, idempotent = true, bundleType = BundleTypeEnum.SEARCHSET)
    public Bundle timeline(@IdParam IdType id, RequestDetails request) {
        Bsn bsn = Bsn.parse(id.getIdPart()).orElseThrow(() -> new InvalidRequestException("id: not a valid BSN"));
        Set<String> withheld = visible(bsn, request).orElseThrow(() -> new ResourceNotFoundException("Patient: not known"));
        List<PatientTimeline.Entry> entries;
        try {
            entries = timeline.of(bsn.value(), withheld);
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

    /**
     * The entryUUIDs of the patient's documents withheld from this requester, when the patient is known and at
     * least one document may be seen; empty when the patient must look unknown.
     */
    private Optional<Set<String>> visible(Bsn bsn, RequestDetails request) {
        if (!Database.read(dataSource, c -> patients.exists(c, bsn))) {
            return Optional.empty();
        }
        List<StudyEntry> documents = index.documentsOf(bsn.value());
        Set<String> withheld = release.withheld(request, documents);
        return withheld.size() < documents.size() ? Optional.of(withheld) : Optional.empty();
    }
}
