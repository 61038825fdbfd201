package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.model.api.Include;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.IncludeParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.SummaryEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.StudyEntry;
import nl.beeldbrug.registry.imaging.StudySearch;
import org.hl7.fhir.instance.model.api.IAnyResource;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * FHIR ImagingStudy over the registry's imaging study index: read by Study Instance UID, search by
 * patient (BSN), identifier, modality, bodysite, started, status, endpoint; newest first; stateless
 * paging by {@code _offset}/{@code _count} (any gateway instance can serve the next page);
 * {@code _include} of the Patient and the Endpoint (each once per page, search mode include);
 * {@code _revinclude=DocumentReference:related}: the MHD DocumentReferences of each study's manifests and
 * reports; {@code _summary=count} counts without loading a study.
 * <p>
 * Consent (issue 6): every document of every matching study (all pages) is decided first ({@link FhirRelease});
 * the search then runs as if the denied documents were not registered, so totals, counts, pages, links, included
 * Patients/Endpoints and revincluded DocumentReferences are those of a registry that never had them, and a read of
 * a denied study is the very 404 of an unknown id.
 */
public final class ImagingStudyProvider implements IResourceProvider {

    private static final Logger log = LoggerFactory.getLogger(ImagingStudyProvider.class);

    static final String INCLUDE_PATIENT = "ImagingStudy:patient";
    static final String INCLUDE_SUBJECT = "ImagingStudy:subject";
    static final String INCLUDE_ENDPOINT = "ImagingStudy:endpoint";
    static final List<String> INCLUDES = List.of(INCLUDE_PATIENT, INCLUDE_SUBJECT, INCLUDE_ENDPOINT, "*");
    static final String REVINCLUDE_DOCUMENTS = "DocumentReference:related";

    private final ImagingStudyIndex index;
    private final ImagingStudyMapper mapper;
    private final PatientMapper patients;
    private final Endpoint wado;
    private final StudyDocumentReferences documents;
    private final FhirRelease release;
    private final ImagingStudySearchTranslator translator = new ImagingStudySearchTranslator();
    private final int defaultPageSize;
    private final int maxPageSize;

    public ImagingStudyProvider(ImagingStudyIndex index, ImagingStudyMapper mapper, PatientMapper patients, Endpoint wado,
                                StudyDocumentReferences documents, FhirRelease release, int defaultPageSize, int maxPageSize) {
        this.index = index;
        this.release = release;
        this.mapper = mapper;
        this.patients = patients;
        this.wado = wado;
        this.documents = documents;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public Class<ImagingStudy> getResourceType() {
        return ImagingStudy.class;
    }

    @Read
    public ImagingStudy read(@IdParam IdType id, RequestDetails request) {
        List<StudyEntry> entries = index.entriesOfStudy(id.getIdPart());
        Set<String> withheld = release.withheld(request, entries);
        Optional<ImagingStudySummary> study = withheld.size() == entries.size() ? Optional.empty()
                : index.read(id.getIdPart(), withheld);
        return study.map(mapper::toImagingStudy)
                .orElseThrow(() -> new ResourceNotFoundException("ImagingStudy: no study with this id"));
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = ImagingStudy.SP_PATIENT, chainWhitelist = {"", "identifier"}) ReferenceParam patient,
            @OptionalParam(name = ImagingStudy.SP_IDENTIFIER) TokenOrListParam identifier,
            @OptionalParam(name = ImagingStudy.SP_MODALITY) TokenOrListParam modality,
            @OptionalParam(name = ImagingStudy.SP_BODYSITE) TokenOrListParam bodySite,
            @OptionalParam(name = ImagingStudy.SP_STARTED) DateRangeParam started,
            @OptionalParam(name = ImagingStudy.SP_STATUS) TokenOrListParam status,
            @OptionalParam(name = ImagingStudy.SP_ENDPOINT, targetTypes = Endpoint.class) ReferenceOrListParam endpoint,
            @IncludeParam(allow = {INCLUDE_PATIENT, INCLUDE_SUBJECT, INCLUDE_ENDPOINT, "*"}) Set<Include> includes,
            @IncludeParam(reverse = true, allow = {REVINCLUDE_DOCUMENTS}) Set<Include> revIncludes,
            @Sort SortSpec sort,
            @Offset Integer offset,
            @Count Integer count,
            RequestDetails request) {
        checkIncludes(includes);
        boolean withDocuments = revIncludes != null && !revIncludes.isEmpty();
        if (withDocuments && revIncludes.stream().anyMatch(i -> !REVINCLUDE_DOCUMENTS.equals(i.getValue()))) {
            throw new InvalidRequestException("_revinclude: supported is " + REVINCLUDE_DOCUMENTS);
        }
        int pageSize = count == null ? defaultPageSize : count;
        if (pageSize < 0 || pageSize > maxPageSize) {
            throw new InvalidRequestException("_count: at most " + maxPageSize);
        }
        int first = offset == null ? 0 : offset;
        if (first < 0) {
            throw new InvalidRequestException("_offset: cannot be negative");
        }
        Optional<StudySearch> search = translator.toSearch(patient, identifier, modality, bodySite, started, status, sort)
                .flatMap(s -> translator.withEndpoint(s, endpoint));
        List<StudyEntry> entries = search.isEmpty() ? List.of() : index.entries(search.get());
        Set<String> withheld = release.withheld(request, entries);
        if (withheld.size() == entries.size()) {
            return page(List.of(), 0); // nothing matches, or nothing that matches may be seen
        }
        if (countOnly(request)) {
            return page(List.of(), index.count(search.get(), withheld));
        }
        ImagingStudyIndex.StudyPage page = index.search(search.get(), first, pageSize, withheld);
        log.debug("ImagingStudy search: {} of {} studies from offset {}", page.studies().size(), page.total(), first);
        boolean includePatient = includes(includes, INCLUDE_PATIENT) || includes(includes, INCLUDE_SUBJECT);
        boolean includeEndpoint = includes(includes, INCLUDE_ENDPOINT);
        List<IBaseResource> studies = page.studies().stream().map(summary -> {
            ImagingStudy study = mapper.toImagingStudy(summary);
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put(study, BundleEntrySearchModeEnum.MATCH);
            // HAPI's bundle factory adds a referenced resource set here once per bundle, search mode include
            if (includePatient) {
                study.getSubject().setResource(patients.toPatient(summary.patientBsn()));
            }
            if (includeEndpoint && study.hasEndpoint()) {
                study.getEndpointFirstRep().setResource(wado.copy());
            }
            return (IBaseResource) study;
        }).toList();
        if (!withDocuments) {
            return page(studies, page.total());
        }
        // the DocumentReferences whose context.related names a study on this page: its manifests and reports
        List<String> uuids = page.studies().stream()
                .flatMap(s -> Stream.concat(s.manifests().stream(), s.reports().stream()))
                .map(ImagingStudySummary.StudyDocument::entryUuid).distinct().toList();
        List<IBaseResource> all = new ArrayList<>(studies);
        for (IBaseResource document : documents.documentReferences(uuids, request == null ? "" : request.getFhirServerBase(), request)) {
            ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.put((IAnyResource) document,
                    BundleEntrySearchModeEnum.INCLUDE);
            all.add(document);
        }
        SimpleBundleProvider withIncluded = (SimpleBundleProvider) page(all, page.total());
        // the page is complete with its included resources: HAPI must not cut it at _count
        withIncluded.setCurrentPageOffset(first);
        withIncluded.setCurrentPageSize(pageSize);
        return withIncluded;
    }

    /** HAPI lets any value through once {@code *} is allowed: only these four are understood here. */
    private static void checkIncludes(Set<Include> includes) {
        if (includes == null) {
            return;
        }
        for (Include include : includes) {
            if (!INCLUDES.contains(include.getValue())) {
                throw new InvalidRequestException("_include: supported are " + INCLUDES);
            }
        }
    }

    private static boolean includes(Set<Include> includes, String value) {
        return includes != null && includes.stream().anyMatch(i -> "*".equals(i.getValue()) || value.equals(i.getValue()));
    }

    /** {@code _summary=count}: only the total is answered, so no study is loaded. */
    private static boolean countOnly(RequestDetails request) {
        if (request == null) {
            return false;
        }
        Set<SummaryEnum> summary = RestfulServerUtils.determineSummaryMode(request);
        return summary != null && summary.contains(SummaryEnum.COUNT);
    }

    /** A page already fetched at its offset: HAPI asks for all of it and builds _offset links from the total. */
    private static IBundleProvider page(List<IBaseResource> resources, int total) {
        return new SimpleBundleProvider(resources) {
            @Override
            public Integer size() {
                return total;
            }
        };
    }
}
