package nl.beeldbrug.registry.consent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The decision as a release point asks for it: reads the patient's consents, asks the national service
 * when the policy needs it, and lets the pure {@link ConsentDecisionEngine} decide. Without a national
 * service in a national mode every TREAT/COC question is Indeterminate (deny).
 */
public final class ConsentService {

    private final ConsentDecisionEngine engine;
    private final ConsentSource consents;
    private final NationalConsentService national;

    /** @param national may be null (no national service configured) */
    public ConsentService(ConsentDecisionEngine engine, ConsentSource consents, NationalConsentService national) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.consents = Objects.requireNonNull(consents, "consents");
        this.national = national;
    }

    public ConsentDecision decide(RequestContext context, ResourceMetadata resource) {
        return decide(context, consents.consentsOf(resource.patient()), resource);
    }

    private ConsentDecision decide(RequestContext context, List<ConsentRecord> patientConsents, ResourceMetadata resource) {
        NationalConsentAnswer answer = null;
        if (engine.needsNationalAnswer(context, patientConsents, resource)) {
            answer = askNationally(NationalConsentQuestion.of(context, resource));
        }
        return engine.decide(context, patientConsents, resource, answer);
    }

    private NationalConsentAnswer askNationally(NationalConsentQuestion question) {
        if (national == null) {
            return NationalConsentAnswer.INDETERMINATE;
        }
        try {
            NationalConsentAnswer answer = national.ask(question);
            return answer == null ? NationalConsentAnswer.INDETERMINATE : answer;
        } catch (RuntimeException e) {
            // the port promises not to throw; if one does anyway, it fails closed
            return NationalConsentAnswer.INDETERMINATE;
        }
    }

    /** An item with its decision; for a permit, the obligations bind the release (e.g. DE_IDENTIFY). */
    public record Decided<T>(T item, ConsentDecision decision) {
    }

    /**
     * Decides every item, in the given order (for the audit trail, which records denied attempts too).
     * Consents are read once per patient.
     */
    public <T> List<Decided<T>> decideEach(RequestContext context, List<T> items, Function<T, ResourceMetadata> metadata) {
        Map<nl.beeldbrug.registry.patient.Bsn, List<ConsentRecord>> byPatient = new HashMap<>();
        List<Decided<T>> result = new ArrayList<>();
        for (T item : items) {
            ResourceMetadata resource = metadata.apply(item);
            List<ConsentRecord> patientConsents = byPatient.computeIfAbsent(resource.patient(), consents::consentsOf);
            result.add(new Decided<>(item, decide(context, patientConsents, resource)));
        }
        return result;
    }

    /**
     * Keeps only what may be released, in the given order; denied items are dropped without a trace, so
     * that a denied study looks exactly like an absent one (no count, no placeholder). For RESEARCH and AI
     * every kept item must be released de-identified ({@link #decideEach} gives the obligations per item).
     */
    public <T> List<T> permitted(RequestContext context, List<T> items, Function<T, ResourceMetadata> metadata) {
        List<T> result = new ArrayList<>();
        for (Decided<T> decided : decideEach(context, items, metadata)) {
            if (decided.decision().permitted()) {
                result.add(decided.item());
            }
        }
        return result;
    }
}
