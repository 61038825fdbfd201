package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
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

/** FHIR Patient: the patients the affinity domain knows, id = BSN; read, and search by BSN identifier. */
public final class PatientProvider implements IResourceProvider {

    private final DataSource dataSource;
    private final PatientIndex patients;
    private final PatientMapper mapper;

    public PatientProvider(DataSource dataSource, PatientIndex patients, PatientMapper mapper) {
        this.dataSource = dataSource;
        this.patients = patients;
        this.mapper = mapper;
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

    private boolean known(Bsn bsn) {
        return Database.read(dataSource, c -> patients.exists(c, bsn));
    }
}
