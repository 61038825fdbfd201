package nl.beeldbrug.gateway.priors.prefetch;

import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.BridgeProperties;
import nl.beeldbrug.gateway.bridge.ImportService;
import nl.beeldbrug.gateway.bridge.StudyLocator;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.priors.PriorCheck;
import nl.beeldbrug.gateway.priors.PriorCheckService;
import nl.beeldbrug.registry.bridge.imports.PrefetchOrderStore;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.priors.PriorRanker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * From an order to import jobs (issue 5 point 4): takes the order once per hospital and placer order number (a
 * repeated order starts nothing), runs the prior check as the hospital (consent decided per study before ranking,
 * into the caller's {@link ReleaseLog}), keeps the priors that can be imported (registered with a manifest, held by a
 * connected archive), lets {@link PrefetchSelection} choose — a study the hospital's PACS already holds (a study-level
 * C-FIND or QIDO-RS query finds it, or it is the hospital's own) does not count — and asks {@link ImportService} for a job per chosen study.
 * The caller writes the order's one audit record.
 */
public final class PrefetchService {

    private static final Logger LOG = LoggerFactory.getLogger(PrefetchService.class);

    /** A study an order queued, and its import job. */
    public record Queued(String studyInstanceUid, long importJobId) {
    }

    /**
     * What became of an order.
     *
     * @param repeated the order was taken before: nothing was done
     * @param bsn      the patient's BSN (null when the order carries none: nothing was done)
     * @param queued   the studies queued for import, in rank order
     * @param present  relevant studies the PACS already holds
     */
    public record Outcome(boolean repeated, String bsn, List<Queued> queued, int present) {
        public String summary() {
            if (repeated) {
                return "order already received; nothing queued again";
            }
            if (bsn == null) {
                return "no BSN in the order; nothing queued";
            }
            return queued.size() + " prior(s) queued for import, " + present + " already present";
        }
    }

    private final PriorCheckService priors;
    private final PrefetchSelection selection;
    private final ImportService imports;
    private final StudyLocator locator;
    private final Archives archives;
    private final PrefetchOrderStore orders;
    private final PrefetchMetrics metrics;

    public PrefetchService(PriorCheckService priors, PrefetchSelection selection, ImportService imports, StudyLocator locator,
                           Archives archives, PrefetchOrderStore orders, PrefetchMetrics metrics) {
        this.priors = priors;
        this.selection = selection;
        this.imports = imports;
        this.locator = locator;
        this.archives = archives;
        this.orders = orders;
        this.metrics = metrics;
    }

    /**
     * Prefetches for {@code order} into {@code hospital}'s PACS, asking as {@code requester} (the hospital, purpose
     * TREAT). A failure leaves the order untaken, so that the hospital may send it again.
     */
    public Outcome prefetch(PrefetchOrder order, BridgeProperties.Source hospital, RequestContext requester, ReleaseLog log) {
        Optional<String> bsn = order.bsn();
        if (bsn.isEmpty()) {
            return new Outcome(false, null, List.of(), 0);
        }
        if (!orders.take(hospital.id(), order.placerOrder(), order.planned())) {
            metrics.repeated();
            return new Outcome(true, bsn.get(), List.of(), 0);
        }
        try {
            PriorCheck check = priors.check(requester, log, bsn.get(), order.exam(), order.planned());
            List<PriorRanker.Ranked<ImagingStudySummary>> importable = check.priors().stream()
                    .filter(p -> p.study().available() && locator.sourceOf(p.study()).isPresent()).toList();
            Optional<Archive> pacs = archives.of(hospital);
            List<PrefetchSelection.Decision<ImagingStudySummary>> decisions = selection.decide(importable, order.planned(),
                    study -> holds(hospital, pacs, study));
            List<Queued> queued = new ArrayList<>();
            int present = 0;
            for (PrefetchSelection.Decision<ImagingStudySummary> decision : decisions) {
                if (decision.outcome() == PrefetchSelection.Outcome.PRESENT) {
                    present++;
                } else if (decision.outcome() == PrefetchSelection.Outcome.QUEUE) {
                    String uid = decision.prior().study().studyInstanceUid();
                    queued.add(new Queued(uid, imports.request(uid, hospital.id(),
                            "prefetch:" + requester.organisation().value()).id()));
                }
            }
            orders.jobs(hospital.id(), order.placerOrder(), queued.stream().map(Queued::importJobId).toList());
            metrics.queued(queued.size());
            return new Outcome(false, bsn.get(), queued, present);
        } catch (RuntimeException e) {
            orders.release(hospital.id(), order.placerOrder());
            throw e;
        }
    }

    /** Study level: the hospital's own archive holds the study, or its PACS answers a study query for it. */
    private static boolean holds(BridgeProperties.Source hospital, Optional<Archive> pacs, ImagingStudySummary study) {
        if (study.performer() != null && hospital.ura().equals(study.performer().ura())) {
            return true;
        }
        if (pacs.isEmpty()) {
            return false;
        }
        try {
            return pacs.get().holdsStudy(study.studyInstanceUid());
        } catch (IOException e) {
            // the import job compares instance by instance anyway; asking it to run costs a listing at worst
            LOG.info("prefetch: the PACS of {} did not answer whether it holds a study ({}); queued", hospital.id(), e.toString());
            return false;
        }
    }
}
