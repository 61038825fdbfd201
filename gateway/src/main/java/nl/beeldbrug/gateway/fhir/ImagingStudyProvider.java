package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.StudySearch;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/**
 * FHIR ImagingStudy over the registry's imaging study index: read by Study Instance UID, search by
 * patient (BSN), identifier, modality, bodysite, started, status; newest first; stateless paging by
 * {@code _offset}/{@code _count} (any gateway instance can serve the next page).
 */
public final class ImagingStudyProvider implements IResourceProvider {

    private static final Logger log = LoggerFactory.getLogger(ImagingStudyProvider.class);

    private final ImagingStudyIndex index;
    private final ImagingStudyMapper mapper;
    private final ImagingStudySearchTranslator translator = new ImagingStudySearchTranslator();
    private final int defaultPageSize;
    private final int maxPageSize;

    public ImagingStudyProvider(ImagingStudyIndex index, ImagingStudyMapper mapper, int defaultPageSize, int maxPageSize) {
        this.index = index;
        this.mapper = mapper;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public Class<ImagingStudy> getResourceType() {
        return ImagingStudy.class;
    }

    @Read
    public ImagingStudy read(@IdParam IdType id) {
        return index.read(id.getIdPart()).map(mapper::toImagingStudy)
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
            @Sort SortSpec sort,
            @Offset Integer offset,
            @Count Integer count) {
        int pageSize = count == null ? defaultPageSize : count;
        if (pageSize < 0 || pageSize > maxPageSize) {
            throw new InvalidRequestException("_count: at most " + maxPageSize);
        }
        int first = offset == null ? 0 : offset;
        if (first < 0) {
            throw new InvalidRequestException("_offset: cannot be negative");
        }
        Optional<StudySearch> search = translator.toSearch(patient, identifier, modality, bodySite, started, status, sort);
        if (search.isEmpty()) {
            return page(List.of(), 0);
        }
        ImagingStudyIndex.StudyPage page = index.search(search.get(), first, pageSize);
        log.debug("ImagingStudy search: {} of {} studies from offset {}", page.studies().size(), page.total(), first);
        return page(page.studies().stream().map(mapper::toImagingStudy).map(IBaseResource.class::cast).toList(),
                page.total());
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
