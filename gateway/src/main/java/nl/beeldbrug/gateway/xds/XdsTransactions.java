package nl.beeldbrug.gateway.xds;

import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsException;
import nl.beeldbrug.registry.xds.delete.DeleteDocumentSetService;
import nl.beeldbrug.registry.xds.query.StoredQueryService;
import nl.beeldbrug.registry.xds.update.MetadataUpdateService;
import org.openehealth.ipf.commons.ihe.xds.core.requests.ProvideAndRegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.QueryRegistry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RemoveMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Response;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.function.Supplier;

/**
 * The edge between the XDS routes and the registry: calls a service and turns a refusal
 * ({@link XdsException}) into the RegistryResponse the profile prescribes. One INFO line per
 * transaction outcome, without patient data.
 */
@Component
public class XdsTransactions {

    private static final Logger log = LoggerFactory.getLogger(XdsTransactions.class);

    private final DocumentRegistryService registry;
    private final DocumentRepositoryService repository;
    private final StoredQueryService queries;
    private final MetadataUpdateService updates;
    private final DeleteDocumentSetService deletions;
    private final XdsReleases releases;

    public XdsTransactions(DocumentRegistryService registry, DocumentRepositoryService repository, StoredQueryService queries,
                           MetadataUpdateService updates, DeleteDocumentSetService deletions, XdsReleases releases) {
        this.registry = registry;
        this.repository = repository;
        this.queries = queries;
        this.updates = updates;
        this.deletions = deletions;
        this.releases = releases;
    }

    /** ITI-57 Update Document Set (metadata update, availability status). */
    public Response update(RegisterDocumentSet request) {
        return outcome("ITI-57", () -> {
            updates.update(request);
            return new Response(Status.SUCCESS);
        }, () -> new Response(Status.FAILURE));
    }

    /** ITI-62 Delete Document Set. */
    public Response delete(RemoveMetadata request) {
        return outcome("ITI-62", () -> {
            deletions.delete(request);
            return new Response(Status.SUCCESS);
        }, () -> new Response(Status.FAILURE));
    }

    /** ITI-42 Register Document Set-b. */
    public Response register(RegisterDocumentSet request) {
        return outcome("ITI-42", () -> {
            registry.register(request);
            return new Response(Status.SUCCESS);
        }, () -> new Response(Status.FAILURE));
    }

    /** ITI-41 Provide and Register Document Set-b. */
    public Response provideAndRegister(ProvideAndRegisterDocumentSet request) {
        return outcome("ITI-41", () -> {
            repository.provideAndRegister(request);
            return new Response(Status.SUCCESS);
        }, () -> new Response(Status.FAILURE));
    }

    /** ITI-18 Registry Stored Query, as the requester's consent lets them see the registry. */
    public QueryResponse query(QueryRegistry request) {
        return outcome("ITI-18", () -> {
            QueryResponse response = queries.query(request, releases.forCurrentCall());
            log.debug("ITI-18 {} returned {} entries", request.getQuery().getType(), response.getDocumentEntries().size());
            return response;
        }, () -> new QueryResponse(Status.FAILURE));
    }

    /** ITI-43 Retrieve Document Set; a document the consent withholds is answered as unknown. */
    public RetrievedDocumentSet retrieve(RetrieveDocumentSet request) {
        return outcome("ITI-43", () -> repository.retrieve(request, releases.forCurrentCall()), () -> new RetrievedDocumentSet(Status.FAILURE));
    }

    private static <R extends Response> R outcome(String transaction, Supplier<R> work, Supplier<R> failure) {
        try {
            R response = work.get();
            log.info("{} {}", transaction, response.getStatus());
            return response;
        } catch (XdsException e) {
            log.info("{} refused: {}", transaction, e.code().getOpcode());
            R response = failure.get();
            response.getErrors().addAll(e.errors());
            return response;
        }
    }
}
