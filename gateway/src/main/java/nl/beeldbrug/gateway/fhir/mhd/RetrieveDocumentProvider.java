package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.gateway.fhir.FhirAuditInterceptor;
import nl.beeldbrug.gateway.fhir.FhirRelease;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsException;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/**
 * MHD ITI-68 Retrieve Document: {@code GET <fhir base>/Binary/<documentUniqueId>}, the URL every
 * DocumentReference's {@code content.attachment.url} carries. The document must be registered
 * (GetDocuments by uniqueId, so its patient is known for the audit record); its bytes come from
 * ITI-43's {@link DocumentRepositoryService#retrieve}. HAPI answers the raw bytes with the document's
 * mimeType as Content-Type, or a FHIR Binary when the client asks for FHIR JSON/XML. A document the consent
 * denies ({@link FhirRelease}) is the 404 of an unknown uniqueId.
 */
public final class RetrieveDocumentProvider implements IResourceProvider {

    private final MhdRegistry registry;
    private final DocumentRepositoryService repository;
    private final FhirRelease release;

    public RetrieveDocumentProvider(MhdRegistry registry, DocumentRepositoryService repository, FhirRelease release) {
        this.release = release;
        this.registry = registry;
        this.repository = repository;
    }

    @Override
    public Class<Binary> getResourceType() {
        return Binary.class;
    }

    @Read
    public Binary retrieve(@IdParam IdType id, RequestDetails request) {
        String uniqueId = id.getIdPart();
        List<DocumentEntry> entries = registry.documentsByUniqueId(List.of(uniqueId));
        if (entries.isEmpty()) {
            throw new ResourceNotFoundException("Binary: no document with this uniqueId");
        }
        DocumentEntry entry = entries.get(0);
        FhirAuditInterceptor.namePatients(request, Set.of(entry.getPatientId().getId()));
        if (!release.permits(request, entry)) {
            throw new ResourceNotFoundException("Binary: no document with this uniqueId"); // as if never registered
        }
        RetrieveDocumentSet retrieve = new RetrieveDocumentSet();
        retrieve.getDocuments().add(new DocumentReference(repository.repositoryUniqueId(), uniqueId, null));
        RetrievedDocumentSet retrieved;
        try {
            retrieved = repository.retrieve(retrieve);
        } catch (XdsException e) {
            throw MhdErrors.toFhir(e);
        }
        if (retrieved.getDocuments().isEmpty()) {
            throw new ResourceNotFoundException("Binary: the document's content is not in this repository");
        }
        RetrievedDocument document = retrieved.getDocuments().get(0);
        Binary binary = new Binary();
        binary.setId(uniqueId);
        binary.setContentType(document.getMimeType() != null ? document.getMimeType() : entry.getMimeType());
        binary.setSecurityContext(new Reference("DocumentReference/" + XdsFhirTypes.idOf(entry.getEntryUuid())));
        try (InputStream in = document.getDataHandler().getInputStream()) {
            binary.setData(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return binary;
    }
}
