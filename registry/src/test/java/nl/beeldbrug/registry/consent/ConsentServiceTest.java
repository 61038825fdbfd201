package nl.beeldbrug.registry.consent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static nl.beeldbrug.registry.consent.ConsentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class ConsentServiceTest {

    private final List<ConsentRecord> stored = new ArrayList<>();
    private final ConsentSource source = patient -> stored.stream().filter(c -> c.patient().equals(patient)).toList();

    @Test
    void deniedStudiesAreDroppedWithoutATrace() {
        stored.add(consent("c1", Provision.deny().organisation(HOSPITAL_B).studies(STUDY).build()));
        ConsentService service = new ConsentService(new ConsentDecisionEngine(ConsentPolicy.defaults()), source, null);
        List<String> visible = service.permitted(hospitalB(PurposeOfUse.TREAT), List.of(STUDY, OTHER_STUDY), ConsentFixtures::images);
        assertThat(visible).containsExactly(OTHER_STUDY);
    }

    @Test
    void eachItemIsDecidedWithItsObligationsAndConsentsAreReadOncePerPatient() {
        stored.add(consent("c1", Provision.permit().organisation(AI_LAB).purposes(PurposeOfUse.AI).studies(STUDY).build()));
        AtomicInteger reads = new AtomicInteger();
        ConsentSource counting = patient -> {
            reads.incrementAndGet();
            return source.consentsOf(patient);
        };
        ConsentService service = new ConsentService(new ConsentDecisionEngine(ConsentPolicy.defaults()), counting, null);
        List<ConsentService.Decided<String>> decided = service.decideEach(aiLab(PurposeOfUse.AI), List.of(STUDY, OTHER_STUDY), ConsentFixtures::images);
        assertThat(decided).extracting(ConsentService.Decided::item).containsExactly(STUDY, OTHER_STUDY);
        assertThat(decided.get(0).decision().obligations()).containsExactly(Obligation.DE_IDENTIFY);
        assertThat(decided.get(1).decision().rule()).isEqualTo(DecisionRule.DEFAULT_DENY);
        assertThat(reads).hasValue(1);
    }

    @Test
    void theNationalServiceIsAskedOnlyWhenItMatters() {
        AtomicInteger asked = new AtomicInteger();
        List<NationalConsentQuestion> questions = new ArrayList<>();
        NationalConsentService mitz = q -> {
            asked.incrementAndGet();
            questions.add(q);
            return NationalConsentAnswer.PERMIT;
        };
        ConsentService service = new ConsentService(new ConsentDecisionEngine(
                ConsentPolicy.defaults().withNationalMode(NationalConsentMode.NATIONAL)), source, mitz);

        assertThat(service.decide(hospitalB(PurposeOfUse.TREAT), images(STUDY)).rule()).isEqualTo(DecisionRule.NATIONAL_PERMIT);
        assertThat(questions).singleElement().satisfies(q -> {
            assertThat(q.patient()).isEqualTo(PATIENT);
            assertThat(q.purpose()).isEqualTo(PurposeOfUse.TREAT);
            assertThat(q.dataHolder()).isEqualTo(HOSPITAL_A);
        });
        assertThat(service.decide(aiLab(PurposeOfUse.AI), images(STUDY)).rule()).isEqualTo(DecisionRule.DEFAULT_DENY);
        stored.add(consent("c1", Provision.deny().organisation(HOSPITAL_B).build()));
        assertThat(service.decide(hospitalB(PurposeOfUse.TREAT), images(STUDY)).rule()).isEqualTo(DecisionRule.DENY);
        assertThat(asked).hasValue(1);
    }

    @Test
    void aMissingOrFailingNationalServiceFailsClosed() {
        ConsentDecisionEngine engine = new ConsentDecisionEngine(ConsentPolicy.defaults().withNationalMode(NationalConsentMode.NATIONAL_OR_LOCAL));
        stored.add(consent("c1", Provision.permit().organisation(HOSPITAL_B).build()));
        NationalConsentService broken = q -> {
            throw new IllegalStateException("bug in an adapter");
        };
        NationalConsentService silent = q -> null;
        for (NationalConsentService national : java.util.Arrays.asList(null, broken, silent)) {
            ConsentDecision d = new ConsentService(engine, source, national).decide(hospitalB(PurposeOfUse.COC), images(STUDY));
            assertThat(d.decision()).isEqualTo(Decision.DENY);
            assertThat(d.rule()).isEqualTo(DecisionRule.NATIONAL_INDETERMINATE);
        }
    }
}
