package nl.beeldbrug.gateway.fhir;

import nl.beeldbrug.registry.imaging.ImagingStudySummary.Organisation;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;

/**
 * A care organisation (from the author institutions the sources register) as FHIR Organization with
 * id = URA, and this gateway's WADO-RS service as the one Endpoint. Pure.
 */
public final class OrganizationMapper {

    public Organization toOrganization(Organisation organisation) {
        Organization resource = new Organization();
        resource.setId(organisation.ura());
        resource.addIdentifier(new Identifier().setSystem(FhirNaming.URA).setValue(organisation.ura()));
        resource.setActive(true);
        if (organisation.name() != null) {
            resource.setName(organisation.name());
        }
        return resource;
    }

    static Reference reference(Organisation organisation) {
        Reference reference = new Reference("Organization/" + organisation.ura())
                .setIdentifier(new Identifier().setSystem(FhirNaming.URA).setValue(organisation.ura()));
        if (organisation.name() != null) {
            reference.setDisplay(organisation.name());
        }
        return reference;
    }

    /** The WADO-RS base URL through which the images of every available study are retrieved. */
    public Endpoint toWadoEndpoint(String wadoBaseUrl) {
        Endpoint endpoint = new Endpoint();
        endpoint.setId(FhirNaming.WADO_ENDPOINT_ID);
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setConnectionType(new org.hl7.fhir.r4.model.Coding(FhirNaming.ENDPOINT_CONNECTION_TYPE, "dicom-wado-rs", "DICOM WADO-RS"));
        endpoint.setName("Beeldbrug WADO-RS");
        endpoint.addPayloadType().setText("DICOM");
        endpoint.addPayloadMimeType("application/dicom");
        endpoint.setAddress(wadoBaseUrl);
        return endpoint;
    }
}
