package nl.beeldbrug.gateway.fhir;

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
     */
    List<? extends IBaseResource> documentReferences(List<String> entryUuids, String fhirBase);
}
