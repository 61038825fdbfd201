package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import nl.beeldbrug.gateway.fhir.FhirRelease;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The associations a DocumentReference may show as {@code relatesTo} (replace, transform, append, signs): each
 * related document is decided like any other ({@link FhirRelease}, one decision for all of them) before the
 * resources are built, and a relation to a document the requester may not see — or to one that is not registered —
 * is left out, as if that document had never been registered. Other associations pass unchanged.
 */
public final class DocumentRelations {

    private final MhdRegistry registry;
    private final FhirRelease release;

    public DocumentRelations(MhdRegistry registry, FhirRelease release) {
        this.registry = registry;
        this.release = release;
    }

    /**
     * @param associations the associations of {@code documents} (GetAssociations)
     * @param request      the FHIR request of the requester; null: no relation is shown (fail closed)
     */
    public List<Association> releasable(List<Association> associations, List<DocumentEntry> documents, RequestDetails request) {
        Set<String> sources = documents.stream().map(DocumentEntry::getEntryUuid).collect(Collectors.toSet());
        Predicate<Association> relation = a -> DocumentEntryToDocumentReferenceMapper.isRelation(a) && sources.contains(a.getSourceUuid());
        List<String> targets = associations.stream().filter(relation).map(Association::getTargetUuid).distinct().toList();
        if (targets.isEmpty()) {
            return associations;
        }
        Set<String> visible = request == null ? Set.of()
                : release.permitted(request, registry.documentsByUuid(targets), release::metadata).stream()
                .map(DocumentEntry::getEntryUuid).collect(Collectors.toSet());
        return associations.stream().filter(a -> !relation.test(a) || visible.contains(a.getTargetUuid())).toList();
    }
}
