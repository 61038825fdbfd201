package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import nl.beeldbrug.gateway.fhir.mhd.DocumentEntryToDocumentReferenceMapper;
import nl.beeldbrug.gateway.fhir.mhd.DocumentRelations;
import nl.beeldbrug.gateway.fhir.mhd.MhdRegistry;
import org.hl7.fhir.r4.model.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;

import java.util.List;

/**
 * {@link StudyDocumentReferences} with the MHD face's own registry access and DocumentReference mapper; relatesTo names
 * only documents the requester may see ({@link DocumentRelations}).
 */
public final class MhdStudyDocumentReferences implements StudyDocumentReferences {

    private final MhdRegistry registry;
    private final DocumentEntryToDocumentReferenceMapper mapper;
    private final DocumentRelations relations;

    public MhdStudyDocumentReferences(MhdRegistry registry, DocumentEntryToDocumentReferenceMapper mapper, FhirRelease release) {
        this.registry = registry;
        this.mapper = mapper;
        this.relations = new DocumentRelations(registry, release);
    }

    @Override
    public List<DocumentReference> documentReferences(List<String> entryUuids, String fhirBase, RequestDetails request) {
        if (entryUuids.isEmpty()) {
            return List.of();
        }
        List<DocumentEntry> entries = registry.documentsByUuid(entryUuids);
        List<Association> associations = relations.releasable(registry.associations(entryUuids), entries, request);
        return entries.stream().map(e -> mapper.toDocumentReference(e, associations, fhirBase)).toList();
    }
}
