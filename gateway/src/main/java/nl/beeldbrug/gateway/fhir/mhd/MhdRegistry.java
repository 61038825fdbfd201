package nl.beeldbrug.gateway.fhir.mhd;

import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.query.StoredQueryService;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetAssociationsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetDocumentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.StoredQuery;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;

import java.util.List;

/**
 * The MHD face's way into the registry: every ITI-66/67/68 lookup is an ITI-18 stored query run by
 * the same {@link StoredQueryService} the SOAP endpoint uses, so both faces see the same content.
 * A refusal ({@link XdsException}) becomes an OperationOutcome through {@link MhdErrors}.
 */
public final class MhdRegistry {

    private final StoredQueryService queries;

    public MhdRegistry(StoredQueryService queries) {
        this.queries = queries;
    }

    /** Runs a stored query with LeafClass return. */
    public QueryResponse query(StoredQuery query) {
        try {
            return queries.query(new QueryRegistry(query, QueryReturnType.LEAF_CLASS));
        } catch (XdsException e) {
            throw MhdErrors.toFhir(e);
        }
    }

    /** GetDocuments by entryUUID. */
    public List<DocumentEntry> documentsByUuid(List<String> uuids) {
        GetDocumentsQuery query = new GetDocumentsQuery();
        query.setUuids(uuids);
        return query(query).getDocumentEntries();
    }

    /** GetDocuments by uniqueId. */
    public List<DocumentEntry> documentsByUniqueId(List<String> uniqueIds) {
        GetDocumentsQuery query = new GetDocumentsQuery();
        query.setUniqueIds(uniqueIds);
        return query(query).getDocumentEntries();
    }

    /** GetAssociations: every association with one of these objects as source or target. */
    public List<Association> associations(List<String> uuids) {
        if (uuids.isEmpty()) {
            return List.of();
        }
        GetAssociationsQuery query = new GetAssociationsQuery();
        query.setUuids(uuids);
        return query(query).getAssociations();
    }
}
