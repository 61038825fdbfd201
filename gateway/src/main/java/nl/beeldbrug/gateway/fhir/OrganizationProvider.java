package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Organization;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** FHIR Organization: the care organisations that registered studies, id = URA; read, and search by URA identifier. */
public final class OrganizationProvider implements IResourceProvider {

    /** A URA is the eight-digit UZI-register subscriber number. */
    private static final Pattern URA = Pattern.compile("\\d{8}");

    private final ImagingStudyIndex index;
    private final OrganizationMapper mapper;

    public OrganizationProvider(ImagingStudyIndex index, OrganizationMapper mapper) {
        this.index = index;
        this.mapper = mapper;
    }

    @Override
    public Class<Organization> getResourceType() {
        return Organization.class;
    }

    @Read
    public Organization read(@IdParam IdType id) {
        return find(id.getIdPart(), "id").orElseThrow(() -> new ResourceNotFoundException("Organization: not known"));
    }

    @Search
    public List<Organization> search(@RequiredParam(name = Organization.SP_IDENTIFIER) TokenParam identifier) {
        if (identifier.getSystem() != null && !identifier.getSystem().isEmpty() && !FhirNaming.URA.equals(identifier.getSystem())) {
            throw new InvalidRequestException("identifier: the system must be " + FhirNaming.URA);
        }
        return find(identifier.getValue(), "identifier").stream().toList();
    }

    private Optional<Organization> find(String ura, String parameter) {
        if (ura == null || !URA.matcher(ura).matches()) {
            throw new InvalidRequestException(parameter + ": not a URA (eight digits)");
        }
        return index.organisation(ura).map(mapper::toOrganization);
    }
}
