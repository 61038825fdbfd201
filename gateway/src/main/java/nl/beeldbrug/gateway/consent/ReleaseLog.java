package nl.beeldbrug.gateway.consent;

import jakarta.servlet.ServletRequest;
import nl.beeldbrug.registry.consent.ConsentDecision;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The consent decisions taken while answering one request, in order, for its one audit record (NEN 7513: who,
 * on whose behalf, why, which patients, permitted or denied). Kept as a request attribute; a request outside
 * HTTP (a DICOM association, a job) keeps its own instance.
 */
public final class ReleaseLog {

    public static final String REQUEST_ATTRIBUTE = ReleaseLog.class.getName();

    /** One decided item. */
    public record Entry(ResourceMetadata resource, ConsentDecision decision) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private RequestContext context;

    /** The request's log, created on first use. */
    public static ReleaseLog of(ServletRequest request) {
        if (request.getAttribute(REQUEST_ATTRIBUTE) instanceof ReleaseLog log) {
            return log;
        }
        ReleaseLog log = new ReleaseLog();
        request.setAttribute(REQUEST_ATTRIBUTE, log);
        return log;
    }

    synchronized void record(RequestContext context, ResourceMetadata resource, ConsentDecision decision) {
        this.context = context;
        entries.add(new Entry(resource, decision));
    }

    /** The requester the decisions were taken for; null when nothing was decided. */
    public synchronized RequestContext context() {
        return context;
    }

    public synchronized List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The BSNs of the patients whose data was released. */
    public synchronized Set<String> permittedPatients() {
        Set<String> patients = new LinkedHashSet<>();
        entries.stream().filter(e -> e.decision().permitted()).forEach(e -> patients.add(e.resource().patient().value()));
        return patients;
    }

    /** The BSNs of the patients of which something was withheld. */
    public synchronized Set<String> deniedPatients() {
        Set<String> patients = new LinkedHashSet<>();
        entries.stream().filter(e -> !e.decision().permitted()).forEach(e -> patients.add(e.resource().patient().value()));
        return patients;
    }

    public synchronized boolean anyDenied() {
        return entries.stream().anyMatch(e -> !e.decision().permitted());
    }
}
