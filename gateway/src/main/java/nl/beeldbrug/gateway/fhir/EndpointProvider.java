package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.IdType;

/** FHIR Endpoint: this gateway's WADO-RS service ({@code Endpoint/wado-rs}), the endpoint of every available study. */
public final class EndpointProvider implements IResourceProvider {

    private final Endpoint wado;

    public EndpointProvider(OrganizationMapper mapper, String wadoBaseUrl) {
        this.wado = mapper.toWadoEndpoint(wadoBaseUrl);
    }

    @Override
    public Class<Endpoint> getResourceType() {
        return Endpoint.class;
    }

    @Read
    public Endpoint read(@IdParam IdType id) {
        if (!FhirNaming.WADO_ENDPOINT_ID.equals(id.getIdPart())) {
            throw new ResourceNotFoundException("Endpoint: not known");
        }
        return wado.copy();
    }
}
