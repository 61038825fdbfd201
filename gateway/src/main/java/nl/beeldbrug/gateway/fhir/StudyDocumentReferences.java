package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.List;

/**
 * The DocumentReferences (MHD) of a study's documents, for {@code _revinclude=DocumentReference:related}
 * on ImagingStudy: the manifests and reports whose context.related names the study.
 */
@FunctionalInterface
public interface StudyDocumentReferences {

    /**
     * @param entryUuids the DocumentEntries' entryUUIDs ({@code urn:uuid:…})
     * @param fhirBase   this server's base URL (for attachment URLs)
     * @param request    the requester's request (for the consent decisions on related documents; may be null)
     */
    List<? extends IBaseResource> documentReferences(List<String> entryUuids, String fhirBase, RequestDetails request);
}
