package nl.beeldbrug.registry.xds.query;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.xds.ReleaseFilter;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.XdsStore;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryReturnType;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ObjectReference;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;

import javax.sql.DataSource;

/**
 * ITI-18 Registry Stored Query: runs each stored query of ITI TF-2a 3.18.4.1.2.3.7 against the
 * store and answers LeafClass (full objects) or ObjectRef (their UUIDs). Parameter syntax and
 * cardinality are checked before this (IPF's ITI-18 request validator); this service applies the
 * matching rules and the result limit.
 */
public final class StoredQueryService {

    private final DataSource dataSource;
    private final XdsStore store;
    private final int maxResults;

    public StoredQueryService(DataSource dataSource, XdsStore store, int maxResults) {
        this.dataSource = dataSource;
        this.store = store;
        this.maxResults = maxResults;
    }

    public QueryResponse query(QueryRegistry request) {
        return query(request, ReleaseFilter.ALL);
    }

    /**
     * Runs the query as the requester of {@code filter} sees the registry: withheld document entries, the
     * associations touching them and the submission sets and folders of nothing but them are never found, and
     * the result limit is judged on what remains.
     */
    public QueryResponse query(QueryRegistry request, ReleaseFilter filter) {
        QueryResult result = Database.read(dataSource, c -> {
            StoredQueryRunner runner = new StoredQueryRunner(c, store, filter);
            request.getQuery().accept(runner);
            return runner.result();
        });
        int count = result.size();
        if (count > maxResults) {
            throw new XdsException(ErrorCode.TOO_MANY_RESULTS,
                    "the query matches " + count + " objects; the limit is " + maxResults + ": narrow the query");
        }
        QueryResponse response = new QueryResponse(Status.SUCCESS);
        if (request.getReturnType() == QueryReturnType.OBJECT_REF) {
            result.uuids().forEach(uuid -> response.getReferences().add(new ObjectReference(uuid)));
        } else {
            response.getDocumentEntries().addAll(result.documentEntries());
            response.getSubmissionSets().addAll(result.submissionSets());
            response.getFolders().addAll(result.folders());
            response.getAssociations().addAll(result.associations());
        }
        return response;
    }
}
