package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.consent.ConsentDecisionEngine;
import nl.beeldbrug.registry.consent.ConsentPolicy;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.Decision;
import nl.beeldbrug.registry.consent.NationalConsentMode;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.patient.Bsn;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a requester may see in one consent state, by the pure {@link ConsentDecisionEngine} with the gateway's
 * default policy ({@code beeldbrug.consent.*} defaults: LOCAL, treatment permitted unless denied) over the consents
 * the test generated — never over what the gateway answers.
 */
final class LeakOracle {

    private final LeakWorld world;
    private final ConsentDecisionEngine engine;
    private final Map<Bsn, List<ConsentRecord>> consents;
    private final Instant now;
    private final Map<String, Boolean> decided = new ConcurrentHashMap<>();

    LeakOracle(LeakWorld world, Map<Bsn, List<ConsentRecord>> consents, Instant now) {
        this.world = world;
        ConsentProperties defaults = new ConsentProperties("LOCAL", "PERMIT", List.of(), "hospital");
        ConsentPolicy policy = ConsentPolicy.defaults()
                .withNationalMode(NationalConsentMode.valueOf(defaults.nationalMode()))
                .withDefault(PurposeOfUse.TREAT, Decision.valueOf(defaults.treatmentDefault()))
                .withDefault(PurposeOfUse.COC, Decision.valueOf(defaults.treatmentDefault()));
        this.engine = new ConsentDecisionEngine(policy);
        this.consents = Map.copyOf(consents);
        this.now = now;
    }

    LeakWorld world() {
        return world;
    }

    /**
     * Whether the study may appear as a FHIR ImagingStudy (search, read, count, timeline): one of its documents is
     * permitted (images or report; a study whose images are denied is answered as a report-only study).
     */
    boolean studyVisible(LeakWorld.Requester requester, LeakWorld.Study study) {
        return permits(requester, study, DataClass.IMAGING_STUDY) || permits(requester, study, DataClass.REPORT);
    }

    /** Whether the patient may appear as a FHIR Patient (read, search, {@code $timeline}): one of their studies is visible. */
    boolean patientVisible(LeakWorld.Requester requester, Bsn patient) {
        return world.studiesOf(patient).stream().anyMatch(s -> studyVisible(requester, s));
    }

    /** Whether {@code requester} may receive {@code dataClass} of {@code study}. */
    boolean permits(LeakWorld.Requester requester, LeakWorld.Study study, DataClass dataClass) {
        return decided.computeIfAbsent(requester + "|" + study.uid() + "|" + dataClass, k -> {
            RequestContext context = new RequestContext(requester.organisation().ura(), requester.organisation().type(),
                    requester.uziRole(), requester.user(), requester.purpose(), now);
            ResourceMetadata resource = new ResourceMetadata(study.patient(), study.uid(), dataClass, study.holder(), study.holderType());
            return engine.decide(context, consents.getOrDefault(study.patient(), List.of()), resource).permitted();
        });
    }

    boolean permits(LeakWorld.Requester requester, LeakWorld.Study study, LeakWorld.Document document) {
        return permits(requester, study, document.report() ? DataClass.REPORT : DataClass.IMAGING_STUDY);
    }
}
