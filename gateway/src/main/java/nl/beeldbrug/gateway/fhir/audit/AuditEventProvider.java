package nl.beeldbrug.gateway.fhir.audit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import nl.beeldbrug.gateway.fhir.FhirAuditInterceptor;
import nl.beeldbrug.gateway.fhir.ImagingStudySearchTranslator;
import nl.beeldbrug.registry.audit.AuditStore;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * FHIR R4 AuditEvent, read-only, for privacy officers ("who looked at this patient's data"): search the durable
 * audit trail by {@code patient} (BSN) and {@code date} (when the trail recorded it; ge/gt/le/lt/eq), newest first,
 * paged by {@code _count} and {@code _offset}. The search is itself audited (one record naming the patient, written
 * after the answer, so it appears in the next search, never in its own).
 */
public final class AuditEventProvider implements IResourceProvider {

    private final AuditStore store;
    private final AuditEventMapper mapper;
    private final int defaultPageSize;
    private final int maxPageSize;

    public AuditEventProvider(AuditStore store, AuditEventMapper mapper, int defaultPageSize, int maxPageSize) {
        this.store = store;
        this.mapper = mapper;
        this.defaultPageSize = defaultPageSize;
        this.maxPageSize = maxPageSize;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = AuditEvent.SP_PATIENT, chainWhitelist = {"", "identifier"}) ReferenceParam patient,
            @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
            @Offset Integer offset,
            @Count Integer count,
            RequestDetails request) {
        int pageSize = count == null ? defaultPageSize : count;
        if (pageSize < 0 || pageSize > maxPageSize) {
            throw new InvalidRequestException("_count: at most " + maxPageSize);
        }
        int first = offset == null ? 0 : offset;
        if (first < 0) {
            throw new InvalidRequestException("_offset: cannot be negative");
        }
        String bsn = patient == null ? null : ImagingStudySearchTranslator.bsnOf(patient);
        if (bsn != null && request != null) {
            FhirAuditInterceptor.namePatients(request, Set.of(bsn)); // looking at a patient's trail is on record too
        }
        Instant from = date == null || date.getLowerBoundAsInstant() == null ? null : date.getLowerBoundAsInstant().toInstant();
        Instant to = date == null || date.getUpperBoundAsInstant() == null ? null : date.getUpperBoundAsInstant().toInstant();
        AuditStore.SearchPage page = store.search(bsn, from, to, first, pageSize);
        List<IBaseResource> events = page.events().stream().map(e -> (IBaseResource) mapper.toAuditEvent(e)).toList();
        int total = (int) Math.min(Integer.MAX_VALUE, page.total());
        return new SimpleBundleProvider(events) {
            @Override
            public Integer size() {
                return total;
            }
        };
    }
}
