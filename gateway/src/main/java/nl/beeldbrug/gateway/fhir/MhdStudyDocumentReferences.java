package nl.beeldbrug.gateway.fhir;

import nl.beeldbrug.gateway.fhir.mhd.DocumentEntryToDocumentReferenceMapper;
import nl.beeldbrug.gateway.fhir.mhd.MhdRegistry;
import org.hl7.fhir.r4.model.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;

import java.util.List;

/** {@link StudyDocumentReferences} with the MHD face's own registry access and DocumentReference mapper. */
public final class MhdStudyDocumentReferences implements StudyDocumentReferences {

    private final MhdRegistry registry;
    private final DocumentEntryToDocumentReferenceMapper mapper;

    public MhdStudyDocumentReferences(MhdRegistry registry, DocumentEntryToDocumentReferenceMapper mapper) {
        this.registry = registry;
        this.mapper = mapper;
    }

    @Override
    public List<DocumentReference> documentReferences(List<String> entryUuids, String fhirBase) {
        if (entryUuids.isEmpty()) {
            return List.of();
        }
        List<DocumentEntry> entries = registry.documentsByUuid(entryUuids);
        List<Association> associations = registry.associations(entryUuids);
        return entries.stream().map(e -> mapper.toDocumentReference(e, associations, fhirBase)).toList();
    }
}
