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
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.gateway.fhir.ImagingStudySearchTranslator;
import nl.beeldbrug.registry.audit.AuditStore;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * FHIR R4 AuditEvent, read-only, for privacy officers ("who looked at this patient's data"): search the durable
 * audit trail by {@code patient} (BSN), {@code agent} (the requesting organisation: {@code Organization/<URA>} or
 * {@code agent.identifier=http://fhir.nl/fhir/NamingSystem/ura|<URA>}) and {@code date} (when the trail recorded it;
 * ge/gt/le/lt/eq), newest first,
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

    /**
     * The requesting organisation of {@code agent}: {@code Organization/<URA>}, or by identifier
     * ({@code agent.identifier} / {@code agent:identifier} = {@code http://fhir.nl/fhir/NamingSystem/ura|<URA>}).
     */
    static String uraOf(ReferenceParam agent) {
        String chain = agent.getChain();
        String value = agent.getValue();
        String candidate;
        if ("identifier".equals(chain) || ":identifier".equals(agent.getQueryParameterQualifier())) {
            int bar = value == null ? -1 : value.indexOf('|');
            if (bar >= 0 && !FhirNaming.URA.equals(value.substring(0, bar))) {
                throw new InvalidRequestException("agent: the identifier system must be " + FhirNaming.URA);
            }
            candidate = bar < 0 ? value : value.substring(bar + 1);
        } else if (chain != null && !chain.isEmpty()) {
            throw new InvalidRequestException("agent: unsupported chain");
        } else {
            if (!"Organization".equals(agent.getResourceType())) {
                throw new InvalidRequestException("agent: must be Organization/<URA> or agent.identifier=" + FhirNaming.URA + "|<URA>");
            }
            candidate = agent.getIdPart();
        }
        if (candidate == null || !candidate.matches("[0-9]{8}")) {
            throw new InvalidRequestException("agent: not a URA (8 digits)");
        }
        return candidate;
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = AuditEvent.SP_PATIENT, chainWhitelist = {"", "identifier"}) ReferenceParam patient,
            @OptionalParam(name = AuditEvent.SP_AGENT, chainWhitelist = {"", "identifier"}) ReferenceParam agent,
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
        String organisation = agent == null ? null : uraOf(agent);
        AuditStore.SearchPage page = store.search(bsn, organisation, from, to, first, pageSize);
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
