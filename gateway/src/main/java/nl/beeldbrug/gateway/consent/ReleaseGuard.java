package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.consent.ConsentService;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.patient.Bsn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one gate every release point passes (issue 6): asks the {@link ConsentService} for each item about to
 * leave, keeps the permitted ones in their order and drops the denied ones without a trace — so that a denied
 * study is indistinguishable from an absent one (filter before counting and paging, never after) — and notes
 * every decision in the request's {@link ReleaseLog} for its audit record.
 */
public class ReleaseGuard {

    /** The data holder named when a document carries no URA of its author institution. */
    public static final Ura UNKNOWN_HOLDER = Ura.of("00000000");

    private final ConsentService consent;
    private final OrganisationDirectory directory;

    public ReleaseGuard(ConsentService consent, OrganisationDirectory directory) {
        this.consent = consent;
        this.directory = directory;
    }

    /** Keeps what may be released to {@code context}, in the given order; every decision goes to {@code log}. */
    public <T> List<T> permitted(RequestContext context, List<T> items, Function<T, ResourceMetadata> metadata, ReleaseLog log) {
        List<T> released = new ArrayList<>(items.size());
        for (ConsentService.Decided<T> decided : consent.decideEach(context, items, metadata)) {
            log.record(context, metadata.apply(decided.item()), decided.decision());
            if (decided.decision().permitted()) {
                released.add(decided.item());
            }
        }
        return released;
    }

    /** Whether one item may be released; the decision goes to {@code log}. */
    public boolean permits(RequestContext context, ResourceMetadata resource, ReleaseLog log) {
        return !permitted(context, List.of(resource), r -> r, log).isEmpty();
    }

    /**
     * The metadata of a study's data as the engine needs it; the holder's type comes from the directory.
     *
     * @param holderUra the data holder's URA (author institution); null or malformed = {@link #UNKNOWN_HOLDER}
     */
    public ResourceMetadata metadata(String bsn, String studyInstanceUid, DataClass dataClass, String holderUra) {
        Ura holder = holderUra != null && holderUra.matches("[0-9]{8}") ? Ura.of(holderUra) : UNKNOWN_HOLDER;
        return new ResourceMetadata(Bsn.of(bsn), studyInstanceUid, dataClass, holder, directory.typeOf(holder));
    }
}
