package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.imaging.StudyAttributes;
import nl.beeldbrug.registry.imaging.StudyEntry;
import nl.beeldbrug.registry.imaging.StudySummaryBuilder;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The consent decision at the FHIR face's release points (issue 6): who asks comes from {@link Requesters}
 * (once per request), every document is decided by the {@link ReleaseGuard} — a KOS manifest as the study's
 * images ({@link DataClass#IMAGING_STUDY}), anything else as a {@link DataClass#REPORT}, held by its author
 * institution (URA) — and every decision lands in the request's {@link ReleaseLog} for its one audit record.
 * Callers decide over the whole matching set before they count or page, so that what is denied looks exactly
 * like what was never registered.
 */
public final class FhirRelease {

    private static final String CONTEXT = FhirRelease.class.getName() + ".context";

    private final ReleaseGuard guard;
    private final Requesters requesters;

    public FhirRelease(ReleaseGuard guard, Requesters requesters) {
        this.guard = guard;
        this.requesters = requesters;
    }

    /** The entryUUIDs of the {@code entries} the requester may not see (empty when everything is permitted). */
    public Set<String> withheld(RequestDetails request, Collection<StudyEntry> entries) {
        Set<ResourceMetadata> allowed = decide(request, entries.stream().map(this::metadata).toList());
        Set<String> withheld = new HashSet<>();
        for (StudyEntry entry : entries) {
            if (!allowed.contains(metadata(entry))) {
                withheld.add(entry.entryUuid());
            }
        }
        return withheld;
    }

    /** The items that may be released, in their order. */
    public <T> List<T> permitted(RequestDetails request, List<T> items, Function<T, ResourceMetadata> metadata) {
        Set<ResourceMetadata> allowed = decide(request, items.stream().map(metadata).toList());
        return items.stream().filter(i -> allowed.contains(metadata.apply(i))).toList();
    }

    /** Whether this document may be released. */
    public boolean permits(RequestDetails request, DocumentEntry entry) {
        return !permitted(request, List.of(entry), this::metadata).isEmpty();
    }

    /** Decides each distinct item once (a study's manifests of one holder are one question). */
    private Set<ResourceMetadata> decide(RequestDetails request, List<ResourceMetadata> items) {
        if (items.isEmpty()) {
            return Set.of();
        }
        List<ResourceMetadata> distinct = items.stream().distinct().toList();
        return new HashSet<>(guard.permitted(context(request), distinct, m -> m, log(request)));
    }

    public ResourceMetadata metadata(StudyEntry entry) {
        return guard.metadata(entry.patientBsn(), entry.studyKey(),
                entry.manifest() ? DataClass.IMAGING_STUDY : DataClass.REPORT, entry.authorUra());
    }

    /**
     * A document as the MHD face has it: its study (the Study Instance UID of its referenceIdList, else its own
     * uniqueId), manifest or report, and the URA of its first URA-register author institution.
     */
    public ResourceMetadata metadata(DocumentEntry entry) {
        StudyAttributes study = StudyAttributes.of(entry);
        String key = study.belongsToStudy() ? study.studyInstanceUid() : entry.getUniqueId();
        return guard.metadata(entry.getPatientId().getId(), key,
                StudyAttributes.isManifest(entry) ? DataClass.IMAGING_STUDY : DataClass.REPORT, authorUra(entry));
    }

    static String authorUra(DocumentEntry entry) {
        for (Author author : entry.getAuthors()) {
            for (Organization organization : author.getAuthorInstitution()) {
                if (organization.getAssigningAuthority() != null
                        && StudySummaryBuilder.URA_OID.equals(organization.getAssigningAuthority().getUniversalId())
                        && organization.getIdNumber() != null) {
                    return organization.getIdNumber();
                }
            }
        }
        return null;
    }

    /** The requester of this request, read once. */
    private RequestContext context(RequestDetails request) {
        return (RequestContext) request.getUserData().computeIfAbsent(CONTEXT, k -> requesters.of(servlet(request).getServletRequest()));
    }

    private static ReleaseLog log(RequestDetails request) {
        return ReleaseLog.of(servlet(request).getServletRequest());
    }

    private static ServletRequestDetails servlet(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet) {
            return servlet;
        }
        throw new IllegalStateException("a FHIR release needs the HTTP request of its requester");
    }
}
