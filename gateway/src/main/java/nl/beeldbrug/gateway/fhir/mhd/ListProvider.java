package nl.beeldbrug.gateway.fhir.mhd;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import nl.beeldbrug.gateway.fhir.FhirRelease;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.PatientIds;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ListResource;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Association;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AvailabilityStatus;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Folder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.SubmissionSet;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XDSMetaClass;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.FindSubmissionSetsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFolderAndContentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetFoldersQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.GetSubmissionSetAndContentsQuery;
import org.openehealth.ipf.commons.ihe.xds.core.requests.query.QueryList;
import org.openehealth.ipf.commons.ihe.xds.core.responses.QueryResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * MHD ITI-66 Find Document Lists and List read: SubmissionSets (FindSubmissionSets) and Folders
 * (FindFolders) of a patient as Lists, each with its members (GetSubmissionSetAndContents /
 * GetFolderAndContents). Parameters: {@code code} (submissionset, folder; absent: both), {@code patient} /
 * {@code patient.identifier}, {@code date} (submissionTime; a Folder's lastUpdateTime),
 * {@code designationType} (contentTypeCode; a Folder's codeList), {@code sourceId}, {@code source.family} /
 * {@code source.given} (submission set authorPerson), {@code status} (current), {@code identifier} / {@code _id}.
 * <p>
 * Consent ({@link FhirRelease}): a List names only the documents the requester may see; a List that has documents
 * but none of them may be seen is left out of searches (before counting and paging) and its read is the 404 of an
 * unknown id — as if those documents, and the submission set or folder that brought only them, were never there.
 * A submission set names only the folders that are shown by that same rule.
 */
public final class ListProvider implements IResourceProvider {

    private final MhdRegistry registry;
    private final XdsListMapper mapper;
    private final MhdPaging paging;
    private final FhirRelease release;

    public ListProvider(MhdRegistry registry, XdsListMapper mapper, MhdPaging paging, FhirRelease release) {
        this.release = release;
        this.registry = registry;
        this.mapper = mapper;
        this.paging = paging;
    }

    @Override
    public Class<ListResource> getResourceType() {
        return ListResource.class;
    }

    @Read
    public ListResource read(@IdParam IdType id, RequestDetails request) {
        return byId(MhdNaming.URN_UUID + id.getIdPart(), true, request)
                .orElseThrow(() -> new ResourceNotFoundException("List: no submission set or folder with this id"));
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = ListResource.SP_PATIENT, chainWhitelist = {"", "identifier"}) ReferenceParam patient,
            @OptionalParam(name = ListResource.SP_CODE) TokenOrListParam code,
            @OptionalParam(name = ListResource.SP_DATE) DateRangeParam date,
            @OptionalParam(name = "designationType") TokenOrListParam designationType,
            @OptionalParam(name = "sourceId") TokenOrListParam sourceId,
            @OptionalParam(name = ListResource.SP_SOURCE, chainWhitelist = {"family", "given"}) ReferenceAndListParam source,
            @OptionalParam(name = ListResource.SP_STATUS) TokenOrListParam status,
            @OptionalParam(name = ListResource.SP_IDENTIFIER) TokenOrListParam identifier,
            @OptionalParam(name = IAnyResource.SP_RES_ID) TokenParam id,
            @Offset Integer offset,
            @Count Integer count,
            RequestDetails request) {
        MhdPaging.Window window = paging.window(offset, count);
        boolean sets = wants(code, MhdNaming.SUBMISSION_SET);
        boolean folders = wants(code, MhdNaming.FOLDER);
        boolean current = status == null || status.getValuesAsQueryTokens().stream().anyMatch(t -> "current".equals(t.getValue()));
        List<XDSMetaClass> found = new ArrayList<>();
        if (identifier != null || id != null) {
            Bsn bsn = patient == null ? null : MhdSearchParams.patient(patient);
            for (String value : ids(identifier, id)) {
                byObject(value).filter(o -> (o instanceof SubmissionSet && sets) || (o instanceof Folder && folders))
                        .filter(o -> bsn == null || bsn.value().equals(o.getPatientId().getId()))
                        .ifPresent(found::add);
            }
        } else if (current) {
            Bsn bsn = MhdSearchParams.patient(patient);
            Instant[] when = MhdSearchParams.bounds("date", date);
            if (sets) {
                FindSubmissionSetsQuery query = new FindSubmissionSetsQuery();
                query.setPatientId(PatientIds.of(bsn));
                query.setStatus(List.of(AvailabilityStatus.APPROVED));
                MhdSearchParams.apply(when[0], when[1], query.getSubmissionTime());
                query.setContentTypeCodes(MhdSearchParams.codes("designationType", designationType));
                query.setSourceIds(sourceIds(sourceId));
                query.setAuthorPerson(authorPattern(source));
                found.addAll(registry.query(query).getSubmissionSets());
            }
            if (folders && sourceId == null && source == null) {
                FindFoldersQuery query = new FindFoldersQuery();
                query.setPatientId(PatientIds.of(bsn));
                query.setStatus(List.of(AvailabilityStatus.APPROVED));
                MhdSearchParams.apply(when[0], when[1], query.getLastUpdateTime());
                var codes = MhdSearchParams.codes("designationType", designationType);
                if (codes != null) {
                    QueryList<org.openehealth.ipf.commons.ihe.xds.core.metadata.Code> list = new QueryList<>();
                    list.getOuterList().add(codes);
                    query.setCodes(list);
                }
                found.addAll(registry.query(query).getFolders());
            }
        }
        List<XDSMetaClass> sorted = visible(found, request).stream()
                .sorted(Comparator.comparing((XDSMetaClass o) -> o instanceof SubmissionSet s && s.getSubmissionTime() != null
                                ? s.getSubmissionTime().getDateTime()
                                : o instanceof Folder f && f.getLastUpdateTime() != null ? f.getLastUpdateTime().getDateTime() : null,
                        Comparator.nullsLast(Comparator.reverseOrder())).thenComparing(XDSMetaClass::getEntryUuid))
                .toList();
        List<IBaseResource> page = window.of(sorted).stream()
                .map(o -> (IBaseResource) byId(o.getEntryUuid(), o instanceof Folder, request).orElseThrow()).toList();
        return MhdPaging.page(page, sorted.size());
    }

    private static boolean wants(TokenOrListParam code, String type) {
        if (code == null) {
            return true;
        }
        for (TokenParam token : code.getValuesAsQueryTokens()) {
            if (token.getSystem() != null && !token.getSystem().isEmpty() && !MhdNaming.LIST_TYPES.equals(token.getSystem())) {
                throw new InvalidRequestException("code: the system must be " + MhdNaming.LIST_TYPES);
            }
            if (!MhdNaming.SUBMISSION_SET.equals(token.getValue()) && !MhdNaming.FOLDER.equals(token.getValue())) {
                throw new InvalidRequestException("code: submissionset or folder");
            }
        }
        return code.getValuesAsQueryTokens().stream().anyMatch(t -> type.equals(t.getValue()));
    }

    private static List<String> ids(TokenOrListParam identifier, TokenParam id) {
        List<String> ids = new ArrayList<>();
        if (id != null) {
            ids.add(MhdNaming.URN_UUID + id.getValue());
        }
        if (identifier != null) {
            identifier.getValuesAsQueryTokens().forEach(t -> ids.add(t.getValue()));
        }
        return ids;
    }

    private static List<String> sourceIds(TokenOrListParam sourceId) {
        if (sourceId == null) {
            return null;
        }
        return sourceId.getValuesAsQueryTokens().stream().map(t -> XdsFhirTypes.uniqueIdOf(t.getValue())).toList();
    }

    private static String authorPattern(ReferenceAndListParam source) {
        if (source == null) {
            return null;
        }
        String family = null;
        String given = null;
        for (ReferenceOrListParam or : source.getValuesAsQueryTokens()) {
            for (ReferenceParam param : or.getValuesAsQueryTokens()) {
                String value = param.getValue();
                if (value == null || value.isEmpty() || value.contains("^") || value.contains("%") || value.contains("_")) {
                    throw new InvalidRequestException("source: a plain name is required");
                }
                if ("family".equals(param.getChain())) {
                    family = value;
                } else {
                    given = value;
                }
            }
        }
        return family != null && given != null ? "%^" + family + "^" + given + "^%"
                : family != null ? "%^" + family + "^%" : "%^%^" + given + "^%";
    }

    /** A submission set or folder by entryUUID ({@code urn:uuid:}) or uniqueId. */
    private java.util.Optional<XDSMetaClass> byObject(String value) {
        boolean uuid = value != null && value.startsWith(MhdNaming.URN_UUID);
        String key = uuid ? value : XdsFhirTypes.uniqueIdOf(value);
        GetFoldersQuery folders = new GetFoldersQuery();
        if (uuid) {
            folders.setUuids(List.of(key));
        } else {
            folders.setUniqueIds(List.of(key));
        }
        List<Folder> found = registry.query(folders).getFolders();
        if (!found.isEmpty()) {
            return java.util.Optional.of(found.get(0));
        }
        GetSubmissionSetAndContentsQuery sets = new GetSubmissionSetAndContentsQuery();
        if (uuid) {
            sets.setUuid(key);
        } else {
            sets.setUniqueId(key);
        }
        return registry.query(sets).getSubmissionSets().stream().map(XDSMetaClass.class::cast).findFirst();
    }

    /**
     * The lists that may be shown: those with no documents, or with at least one the requester may see. One
     * GetAssociations and one GetDocuments for all of them, however many there are.
     */
    private List<XDSMetaClass> visible(List<XDSMetaClass> lists, RequestDetails request) {
        if (lists.isEmpty()) {
            return lists;
        }
        Set<String> listUuids = lists.stream().map(XDSMetaClass::getEntryUuid).collect(Collectors.toSet());
        Map<String, List<String>> members = new HashMap<>();
        for (Association association : registry.associations(List.copyOf(listUuids))) {
            if (association.getAssociationType() == AssociationType.HAS_MEMBER && listUuids.contains(association.getSourceUuid())) {
                members.computeIfAbsent(association.getSourceUuid(), k -> new ArrayList<>()).add(association.getTargetUuid());
            }
        }
        List<String> targets = members.values().stream().flatMap(List::stream).distinct().toList();
        List<DocumentEntry> documents = targets.isEmpty() ? List.of() : registry.documentsByUuid(targets);
        Set<String> documentUuids = documents.stream().map(DocumentEntry::getEntryUuid).collect(Collectors.toSet());
        Set<String> permitted = release.permitted(request, documents, release::metadata).stream()
                .map(DocumentEntry::getEntryUuid).collect(Collectors.toSet());
        return lists.stream().filter(list -> {
            List<String> own = members.getOrDefault(list.getEntryUuid(), List.of()).stream().filter(documentUuids::contains).toList();
            return own.isEmpty() || own.stream().anyMatch(permitted::contains);
        }).toList();
    }

    /** The List of a submission set or folder with the members the requester may see; empty when none may be. */
    private java.util.Optional<ListResource> byId(String uuid, boolean folderFirst, RequestDetails request) {
        if (folderFirst) {
            GetFolderAndContentsQuery query = new GetFolderAndContentsQuery();
            query.setUuid(uuid);
            QueryResponse response = registry.query(query);
            if (!response.getFolders().isEmpty()) {
                return permittedMembers(response, request)
                        .map(documents -> mapper.toList(response.getFolders().get(0), documents));
            }
        }
        GetSubmissionSetAndContentsQuery query = new GetSubmissionSetAndContentsQuery();
        query.setUuid(uuid);
        QueryResponse response = registry.query(query);
        if (response.getSubmissionSets().isEmpty()) {
            return java.util.Optional.empty();
        }
        return permittedMembers(response, request).map(documents -> mapper.toList(response.getSubmissionSets().get(0),
                documents, visible(List.<XDSMetaClass>copyOf(response.getFolders()), request).stream().map(XDSMetaClass::getEntryUuid).toList()));
    }

    /** The entryUUIDs of the documents that may be shown; empty when there are documents but none may be. */
    private java.util.Optional<List<String>> permittedMembers(QueryResponse response, RequestDetails request) {
        List<DocumentEntry> permitted = release.permitted(request, response.getDocumentEntries(), release::metadata);
        if (permitted.isEmpty() && !response.getDocumentEntries().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(uuids(permitted));
    }

    private static List<String> uuids(List<DocumentEntry> entries) {
        return entries.stream().map(DocumentEntry::getEntryUuid).toList();
    }
}
