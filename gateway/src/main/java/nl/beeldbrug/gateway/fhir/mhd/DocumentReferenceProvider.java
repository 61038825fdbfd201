package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.gateway.fhir.FhirRelease;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;

import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * MHD ITI-67 Find Document References (search) and DocumentReference read, answered by the ITI-18
 * stored queries ({@link FindDocumentReferencesTranslator}); newest creationTime first, stateless
 * paging by {@code _offset}/{@code _count}. Consent: every matching document is decided before sorting, counting
 * and paging (a manifest as the study's images, anything else as a report; {@link FhirRelease}); a denied document
 * is left out as if never registered, and its read is the 404 of an unknown id. A {@code relatesTo} naming a denied
 * document is left out the same way ({@link DocumentRelations}).
 */
public final class DocumentReferenceProvider implements IResourceProvider {

    private static final Comparator<DocumentEntry> NEWEST_FIRST = Comparator
            .comparing((DocumentEntry e) -> created(e), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(DocumentEntry::getEntryUuid);

    private final MhdRegistry registry;
    private final DocumentEntryToDocumentReferenceMapper mapper;
    private final FindDocumentReferencesTranslator translator = new FindDocumentReferencesTranslator();
    private final MhdPaging paging;
    private final FhirRelease release;
    private final DocumentRelations relations;

    public DocumentReferenceProvider(MhdRegistry registry, DocumentEntryToDocumentReferenceMapper mapper, MhdPaging paging,
                                     FhirRelease release) {
        this.release = release;
        this.relations = new DocumentRelations(registry, release);
        this.registry = registry;
        this.mapper = mapper;
        this.paging = paging;
    }

    @Override
    public Class<DocumentReference> getResourceType() {
        return DocumentReference.class;
    }

    @Read
    public DocumentReference read(@IdParam IdType id, RequestDetails request) {
        List<DocumentEntry> found = registry.documentsByUuid(List.of(MhdNaming.URN_UUID + id.getIdPart()));
        if (found.isEmpty() || !release.permits(request, found.get(0))) {
            throw new ResourceNotFoundException("DocumentReference: no document with this id");
        }
        DocumentEntry entry = found.get(0);
        List<Association> associations = relations.releasable(registry.associations(List.of(entry.getEntryUuid())), List.of(entry), request);
        return mapper.toDocumentReference(entry, associations, request.getFhirServerBase());
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = DocumentReference.SP_PATIENT, chainWhitelist = {"", "identifier"}) ReferenceParam patient,
            @OptionalParam(name = DocumentReference.SP_STATUS) TokenOrListParam status,
            @OptionalParam(name = DocumentReference.SP_IDENTIFIER) TokenOrListParam identifier,
            @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id,
            @OptionalParam(name = "creation") DateRangeParam creation,
            @OptionalParam(name = DocumentReference.SP_DATE) DateRangeParam date,
            @OptionalParam(name = DocumentReference.SP_PERIOD) DateRangeParam period,
            @OptionalParam(name = DocumentReference.SP_CATEGORY) TokenOrListParam category,
            @OptionalParam(name = DocumentReference.SP_TYPE) TokenOrListParam type,
            @OptionalParam(name = DocumentReference.SP_SETTING) TokenOrListParam setting,
            @OptionalParam(name = DocumentReference.SP_FACILITY) TokenOrListParam facility,
            @OptionalParam(name = DocumentReference.SP_FORMAT) TokenOrListParam format,
            @OptionalParam(name = DocumentReference.SP_EVENT) TokenAndListParam event,
            @OptionalParam(name = DocumentReference.SP_SECURITY_LABEL) TokenAndListParam securityLabel,
            @OptionalParam(name = DocumentReference.SP_AUTHOR, chainWhitelist = {"family", "given"}) ReferenceAndListParam author,
            @OptionalParam(name = DocumentReference.SP_RELATED, chainWhitelist = {"", "identifier"}) ReferenceOrListParam related,
            @Offset Integer offset,
            @Count Integer count,
            RequestDetails request) {
        MhdPaging.Window window = paging.window(offset, count);
        FindDocumentReferencesTranslator.Search search = translator.translate(patient, status, identifier, id, creation, date,
                period, category, type, setting, facility, format, event, securityLabel, author, related);
        List<DocumentEntry> found = search.query() == null ? List.of()
                : registry.query(search.query()).getDocumentEntries().stream()
                .filter(e -> search.patient() == null || search.patient().value().equals(e.getPatientId().getId()))
                .filter(e -> search.status().contains(e.getAvailabilityStatus()))
                .toList();
        List<DocumentEntry> matches = release.permitted(request, found, release::metadata).stream()
                .sorted(NEWEST_FIRST)
                .toList();
        List<DocumentEntry> page = window.of(matches);
        List<Association> associations = relations.releasable(registry.associations(page.stream().map(DocumentEntry::getEntryUuid).toList()),
                page, request);
        String base = request.getFhirServerBase();
        List<IBaseResource> resources = page.stream()
                .map(e -> (IBaseResource) mapper.toDocumentReference(e, associations, base)).toList();
        return MhdPaging.page(resources, matches.size());
    }

    private static ZonedDateTime created(DocumentEntry entry) {
        Timestamp time = entry.getCreationTime();
        return time == null ? null : time.getDateTime();
    }
}
