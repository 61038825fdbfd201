package nl.beeldbrug.gateway.ai;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import nl.beeldbrug.gateway.security.PrivilegedAccessProperties;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.ai.delivery.ReleaseRecords;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * {@code /fhir/Provenance}: read, and search by {@code target} (ImagingStudy/&lt;pseudoStudyUid&gt;) or without
 * parameters. An AI platform (asking with purpose AI) sees the Provenances of what was released to it — another
 * platform's are "not found" —, privacy officers see all; anyone else gets 403.
 */
public final class AiProvenanceProvider implements IResourceProvider {

    private static final int MAX = 1000;

    private final ReleaseRecords records;
    private final AiAccess access;
    private final AiPlatforms platforms;
    private final Requesters requesters;
    private final Set<String> privacyOfficers;

    public AiProvenanceProvider(ReleaseRecords records, AiAccess access, AiPlatforms platforms, Requesters requesters,
                                PrivilegedAccessProperties privileged) {
        this.records = records;
        this.access = access;
        this.platforms = platforms;
        this.requesters = requesters;
        this.privacyOfficers = Set.copyOf(privileged.privacyOfficers());
    }

    @Override
    public Class<Provenance> getResourceType() {
        return Provenance.class;
    }

    @Read
    public Provenance read(@IdParam IdType id, RequestDetails request) {
        Predicate<Ura> visible = visible(request);
        UUID uuid;
        try {
            uuid = UUID.fromString(id.getIdPart());
        } catch (IllegalArgumentException e) {
            throw new ResourceNotFoundException("Provenance: not known");
        }
        return records.read(uuid).filter(r -> visible.test(r.platform())).map(this::toFhir)
                .orElseThrow(() -> new ResourceNotFoundException("Provenance: not known"));
    }

    @Search
    public List<Provenance> byTarget(@RequiredParam(name = Provenance.SP_TARGET) ReferenceParam target, RequestDetails request) {
        Predicate<Ura> visible = visible(request);
        String id = target.getIdPart();
        if (target.getResourceType() != null && !"ImagingStudy".equals(target.getResourceType())) {
            return List.of();
        }
        return records.ofStudy(id, MAX).stream().filter(r -> visible.test(r.platform())).map(this::toFhir).toList();
    }

    @Search
    public List<Provenance> all(RequestDetails request) {
        Predicate<Ura> visible = visible(request);
        Optional<AiPlatform> platform = platformOf(request);
        return (platform.isPresent() ? records.ofPlatform(platform.get().ura(), MAX) : records.all(MAX)).stream()
                .filter(r -> visible.test(r.platform())).map(this::toFhir).toList();
    }

    private Provenance toFhir(ReleaseRecords.Released r) {
        return AiProvenanceMapper.toFhir(r, platforms.byUra(r.platform()).map(AiPlatform::name).orElse(null));
    }

    /** Whose Provenances the requester may see. */
    private Predicate<Ura> visible(RequestDetails request) {
        RequestContext context = context(request);
        if (privacyOfficers.contains(context.organisation().value())) {
            return ura -> true;
        }
        Optional<AiPlatform> platform = platformOf(request);
        if (platform.isEmpty()) {
            throw new ForbiddenOperationException("Provenance: for the AI platform it names and privacy officers only");
        }
        return platform.get().ura()::equals;
    }

    private Optional<AiPlatform> platformOf(RequestDetails request) {
        RequestContext context = context(request);
        if (privacyOfficers.contains(context.organisation().value())) {
            return Optional.empty();
        }
        try {
            return Optional.of(access.require(context));
        } catch (AiAccessDenied e) {
            return Optional.empty();
        }
    }

    private RequestContext context(RequestDetails request) {
        if (!(request instanceof ServletRequestDetails servlet)) {
            throw new ForbiddenOperationException("Provenance: requester unknown");
        }
        return requesters.of(servlet.getServletRequest());
    }
}
