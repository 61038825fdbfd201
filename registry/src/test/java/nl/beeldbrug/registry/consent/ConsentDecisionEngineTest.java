package nl.beeldbrug.registry.consent;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static nl.beeldbrug.registry.consent.ConsentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per rule of the precedence (docs/consent.md). */
class ConsentDecisionEngineTest {

    private final ConsentDecisionEngine engine = new ConsentDecisionEngine(ConsentPolicy.defaults());

    @Nested
    class Defaults {
        @Test
        void treatmentIsPermittedWhenNothingIsRecorded() {
            ConsentDecision d = engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(), images(STUDY));
            assertThat(d.decision()).isEqualTo(Decision.PERMIT);
            assertThat(d.rule()).isEqualTo(DecisionRule.DEFAULT_PERMIT);
            assertThat(d.consentId()).isNull();
            assertThat(d.obligations()).isEmpty();
        }

        @Test
        void continuityOfCareIsPermittedWhenNothingIsRecorded() {
            assertThat(engine.decide(hospitalB(PurposeOfUse.COC), List.of(), report(STUDY)).rule())
                    .isEqualTo(DecisionRule.DEFAULT_PERMIT);
        }

        @Test
        void aiAndResearchAreDeniedWhenNothingIsRecorded() {
            for (PurposeOfUse p : List.of(PurposeOfUse.AI, PurposeOfUse.RESEARCH)) {
                ConsentDecision d = engine.decide(aiLab(p), List.of(), images(STUDY));
                assertThat(d.decision()).isEqualTo(Decision.DENY);
                assertThat(d.rule()).isEqualTo(DecisionRule.DEFAULT_DENY);
            }
        }

        @Test
        void treatmentDefaultCanBeConfiguredToDeny() {
            ConsentDecisionEngine optIn = new ConsentDecisionEngine(ConsentPolicy.defaults().withDefault(PurposeOfUse.TREAT, Decision.DENY));
            assertThat(optIn.decide(hospitalB(PurposeOfUse.TREAT), List.of(), images(STUDY)).rule()).isEqualTo(DecisionRule.DEFAULT_DENY);
            assertThat(optIn.decide(hospitalB(PurposeOfUse.COC), List.of(), images(STUDY)).rule()).isEqualTo(DecisionRule.DEFAULT_PERMIT);
        }

        @Test
        void aPermittingDefaultForSecondaryUseIsRefused() {
            assertThatThrownBy(() -> ConsentPolicy.defaults().withDefault(PurposeOfUse.AI, Decision.PERMIT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("explicit permit");
            assertThatThrownBy(() -> ConsentPolicy.defaults().withDefault(PurposeOfUse.RESEARCH, Decision.PERMIT))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Matching {
        @Test
        void aDenyForTheRequestingOrganisationDenies() {
            ConsentRecord c = consent("c1", Provision.deny().organisation(HOSPITAL_B).build());
            ConsentDecision d = engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(STUDY));
            assertThat(d.decision()).isEqualTo(Decision.DENY);
            assertThat(d.rule()).isEqualTo(DecisionRule.DENY);
            assertThat(d.consentId()).isEqualTo("c1");
            assertThat(d.explanation()).isEqualTo("DENY by DENY of consent c1");
        }

        @Test
        void aDenyForAnotherOrganisationDoesNotApply() {
            ConsentRecord c = consent("c1", Provision.deny().organisation(ZDC_C).build());
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(STUDY)).rule())
                    .isEqualTo(DecisionRule.DEFAULT_PERMIT);
        }

        @Test
        void aDenyForTheOrganisationTypeApplies() {
            ConsentRecord c = consent("c1", Provision.deny().organisationType(OrganisationType.HOSPITAL).build());
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(STUDY)).decision()).isEqualTo(Decision.DENY);
            assertThat(engine.decide(request(ZDC_C, OrganisationType.ZDC, PurposeOfUse.TREAT), List.of(c), images(STUDY)).decision())
                    .isEqualTo(Decision.PERMIT);
        }

        @Test
        void aDenyWithoutActorsDeniesEveryone() {
            ConsentRecord c = consent("c1", Provision.deny().build());
            assertThat(engine.decide(request(ZDC_C, OrganisationType.ZDC, PurposeOfUse.COC), List.of(c), images(STUDY)).decision())
                    .isEqualTo(Decision.DENY);
        }

        @Test
        void aDenyForOnePurposeLeavesTheOthers() {
            ConsentRecord c = consent("c1", Provision.deny().purposes(PurposeOfUse.COC).build());
            assertThat(engine.decide(hospitalB(PurposeOfUse.COC), List.of(c), images(STUDY)).decision()).isEqualTo(Decision.DENY);
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(STUDY)).decision()).isEqualTo(Decision.PERMIT);
        }

        @Test
        void aDenyForReportsLeavesTheImages() {
            ConsentRecord c = consent("c1", Provision.deny().dataClasses(DataClass.REPORT).build());
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), report(STUDY)).decision()).isEqualTo(Decision.DENY);
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(STUDY)).decision()).isEqualTo(Decision.PERMIT);
        }

        @Test
        void aDenyOutsideItsPeriodIsIgnored() {
            ConsentRecord past = consent("c1", Provision.deny().period(new Period(NOW.minusSeconds(100), NOW)).build());
            ConsentRecord future = consent("c2", Provision.deny().period(new Period(NOW.plusSeconds(1), null)).build());
            ConsentRecord current = consent("c3", Provision.deny().period(new Period(NOW, NOW.plusSeconds(1))).build());
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(past, future), images(STUDY)).rule())
                    .isEqualTo(DecisionRule.DEFAULT_PERMIT);
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(current), images(STUDY)).rule())
                    .as("start inclusive").isEqualTo(DecisionRule.DENY);
        }

        @Test
        void revokedAndInactiveConsentsAreIgnored() {
            ConsentRecord revoked = consent("c1", Provision.deny().build()).withStatus(ConsentStatus.REVOKED);
            ConsentRecord inactive = consent("c2", Provision.deny().build()).withStatus(ConsentStatus.INACTIVE);
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(revoked, inactive), images(STUDY)).rule())
                    .isEqualTo(DecisionRule.DEFAULT_PERMIT);
        }

        @Test
        void anotherPatientsConsentIsIgnored() {
            ConsentRecord other = new ConsentRecord("c1", OTHER_PATIENT, ConsentStatus.ACTIVE, NOW, List.of(Provision.deny().build()));
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(other), images(STUDY)).decision()).isEqualTo(Decision.PERMIT);
        }
    }

    @Nested
    class Precedence {
        @Test
        void aDenyBeatsAPermitOfTheSameSpecificity() {
            ConsentRecord permit = consent("c1", Provision.permit().organisation(HOSPITAL_B).build());
            ConsentRecord deny = consent("c2", Provision.deny().organisationType(OrganisationType.HOSPITAL).build());
            ConsentDecision d = engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(permit, deny), images(STUDY));
            assertThat(d.rule()).isEqualTo(DecisionRule.DENY);
            assertThat(d.consentId()).isEqualTo("c2");
        }

        @Test
        void aDenyForTheExactStudyBeatsEveryPermit() {
            ConsentRecord c = consent("c1",
                    Provision.permit().organisation(HOSPITAL_B).build(),
                    Provision.permit().organisation(HOSPITAL_B).studies(STUDY).build(),
                    Provision.deny().studies(STUDY).build());
            ConsentDecision d = engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(STUDY));
            assertThat(d.rule()).isEqualTo(DecisionRule.STUDY_DENY);
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(OTHER_STUDY)).rule())
                    .isEqualTo(DecisionRule.PERMIT);
        }

        @Test
        void aPermitForTheExactStudyBeatsAGeneralDeny() {
            ConsentRecord c = consent("c1",
                    Provision.deny().organisation(HOSPITAL_B).build(),
                    Provision.permit().organisation(HOSPITAL_B).studies(STUDY).build());
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(STUDY)).rule()).isEqualTo(DecisionRule.STUDY_PERMIT);
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(c), images(OTHER_STUDY)).rule()).isEqualTo(DecisionRule.DENY);
        }

        @Test
        void theDecidingConsentIsNamedIndependentlyOfOrder() {
            ConsentRecord a = consent("a", Provision.deny().build());
            ConsentRecord b = consent("b", Provision.deny().build());
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(b, a), images(STUDY)).consentId()).isEqualTo("a");
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(a, b), images(STUDY)).consentId()).isEqualTo("a");
        }
    }

    @Nested
    class SecondaryUse {
        @Test
        void anExplicitAiPermitReleasesDeIdentified() {
            ConsentRecord c = consent("c1", Provision.permit().organisation(AI_LAB).purposes(PurposeOfUse.AI).build());
            ConsentDecision d = engine.decide(aiLab(PurposeOfUse.AI), List.of(c), images(STUDY));
            assertThat(d.decision()).isEqualTo(Decision.PERMIT);
            assertThat(d.obligations()).containsExactly(Obligation.DE_IDENTIFY);
            assertThat(d.explanation()).isEqualTo("PERMIT by PERMIT of consent c1 with [DE_IDENTIFY]");
        }

        @Test
        void aTreatmentPermitNeverCoversAi() {
            ConsentRecord general = consent("c1", Provision.permit().build());
            ConsentRecord treat = consent("c2", Provision.permit().organisation(AI_LAB).purposes(PurposeOfUse.TREAT, PurposeOfUse.COC).build());
            ConsentRecord study = consent("c3", Provision.permit().organisation(AI_LAB).studies(STUDY).build());
            ConsentDecision d = engine.decide(aiLab(PurposeOfUse.AI), List.of(general, treat, study), images(STUDY));
            assertThat(d.rule()).isEqualTo(DecisionRule.DEFAULT_DENY);
        }

        @Test
        void aResearchPermitDoesNotCoverAi() {
            ConsentRecord c = consent("c1", Provision.permit().purposes(PurposeOfUse.RESEARCH).build());
            assertThat(engine.decide(aiLab(PurposeOfUse.AI), List.of(c), images(STUDY)).decision()).isEqualTo(Decision.DENY);
            assertThat(engine.decide(aiLab(PurposeOfUse.RESEARCH), List.of(c), images(STUDY)).obligations())
                    .containsExactly(Obligation.DE_IDENTIFY);
        }

        @Test
        void aGeneralDenyAlsoDeniesAi() {
            ConsentRecord c = consent("c1",
                    Provision.permit().purposes(PurposeOfUse.AI).build(),
                    Provision.deny().build());
            assertThat(engine.decide(aiLab(PurposeOfUse.AI), List.of(c), images(STUDY)).rule()).isEqualTo(DecisionRule.DENY);
        }

        @Test
        void anAiPermitForReportsDoesNotReleaseImages() {
            ConsentRecord c = consent("c1", Provision.permit().purposes(PurposeOfUse.AI).dataClasses(DataClass.REPORT).build());
            assertThat(engine.decide(aiLab(PurposeOfUse.AI), List.of(c), images(STUDY)).decision()).isEqualTo(Decision.DENY);
            assertThat(engine.decide(aiLab(PurposeOfUse.AI), List.of(c), report(STUDY)).decision()).isEqualTo(Decision.PERMIT);
        }

        @Test
        void theNationalAnswerDoesNotTakePartInSecondaryUse() {
            ConsentDecisionEngine national = new ConsentDecisionEngine(ConsentPolicy.defaults().withNationalMode(NationalConsentMode.NATIONAL));
            assertThat(national.decide(aiLab(PurposeOfUse.AI), List.of(), images(STUDY), NationalConsentAnswer.PERMIT).rule())
                    .isEqualTo(DecisionRule.DEFAULT_DENY);
            assertThat(national.needsNationalAnswer(aiLab(PurposeOfUse.AI), List.of(), images(STUDY))).isFalse();
        }
    }

    @Nested
    class National {
        private final ConsentDecisionEngine nationalOnly =
                new ConsentDecisionEngine(ConsentPolicy.defaults().withNationalMode(NationalConsentMode.NATIONAL));
        private final ConsentDecisionEngine nationalOrLocal =
                new ConsentDecisionEngine(ConsentPolicy.defaults().withNationalMode(NationalConsentMode.NATIONAL_OR_LOCAL));
        private final ConsentRecord localPermit = consent("p", Provision.permit().organisation(HOSPITAL_B).build());
        private final ConsentRecord localDeny = consent("d", Provision.deny().organisation(HOSPITAL_B).build());

        @Test
        void onlyANationalPermitReleasesInNationalMode() {
            RequestContext r = hospitalB(PurposeOfUse.TREAT);
            assertThat(nationalOnly.decide(r, List.of(), images(STUDY), NationalConsentAnswer.PERMIT).rule()).isEqualTo(DecisionRule.NATIONAL_PERMIT);
            assertThat(nationalOnly.decide(r, List.of(localPermit), images(STUDY), NationalConsentAnswer.DENY).rule()).isEqualTo(DecisionRule.NATIONAL_DENY);
            assertThat(nationalOnly.decide(r, List.of(localPermit), images(STUDY), NationalConsentAnswer.NOT_APPLICABLE).rule())
                    .isEqualTo(DecisionRule.NATIONAL_NOT_APPLICABLE);
            assertThat(nationalOnly.decide(r, List.of(), images(STUDY), NationalConsentAnswer.INDETERMINATE).rule())
                    .isEqualTo(DecisionRule.NATIONAL_INDETERMINATE);
            assertThat(nationalOnly.decide(r, List.of(), images(STUDY), null).rule())
                    .as("not asked counts as Indeterminate").isEqualTo(DecisionRule.NATIONAL_INDETERMINATE);
        }

        @Test
        void aLocalDenyWinsOverANationalPermit() {
            for (ConsentDecisionEngine e : List.of(nationalOnly, nationalOrLocal)) {
                ConsentDecision d = e.decide(hospitalB(PurposeOfUse.COC), List.of(localDeny), images(STUDY), NationalConsentAnswer.PERMIT);
                assertThat(d.rule()).isEqualTo(DecisionRule.DENY);
                assertThat(e.needsNationalAnswer(hospitalB(PurposeOfUse.COC), List.of(localDeny), images(STUDY)))
                        .as("no need to ask when a local deny decides").isFalse();
            }
        }

        @Test
        void notApplicableFallsBackToAnExplicitLocalPermitOnly() {
            RequestContext r = hospitalB(PurposeOfUse.TREAT);
            assertThat(nationalOrLocal.decide(r, List.of(localPermit), images(STUDY), NationalConsentAnswer.NOT_APPLICABLE).rule())
                    .isEqualTo(DecisionRule.PERMIT);
            assertThat(nationalOrLocal.decide(r, List.of(), images(STUDY), NationalConsentAnswer.NOT_APPLICABLE).rule())
                    .as("no default when the national service is consulted").isEqualTo(DecisionRule.NATIONAL_NOT_APPLICABLE);
            assertThat(nationalOrLocal.decide(r, List.of(localPermit), images(STUDY), NationalConsentAnswer.INDETERMINATE).rule())
                    .isEqualTo(DecisionRule.NATIONAL_INDETERMINATE);
            assertThat(nationalOrLocal.decide(r, List.of(localPermit), images(STUDY), NationalConsentAnswer.DENY).rule())
                    .isEqualTo(DecisionRule.NATIONAL_DENY);
            assertThat(nationalOrLocal.decide(r, List.of(), images(STUDY), NationalConsentAnswer.PERMIT).rule())
                    .isEqualTo(DecisionRule.NATIONAL_PERMIT);
        }

        @Test
        void theLocalModeIgnoresTheNationalAnswer() {
            assertThat(engine.decide(hospitalB(PurposeOfUse.TREAT), List.of(), images(STUDY), NationalConsentAnswer.DENY).rule())
                    .isEqualTo(DecisionRule.DEFAULT_PERMIT);
            assertThat(engine.needsNationalAnswer(hospitalB(PurposeOfUse.TREAT), List.of(), images(STUDY))).isFalse();
        }
    }

    @Test
    void theQuestionCarriesTheRequestAndTheDataHolder() {
        NationalConsentQuestion q = NationalConsentQuestion.of(hospitalB(PurposeOfUse.COC), images(STUDY));
        assertThat(q.requester()).isEqualTo(HOSPITAL_B);
        assertThat(q.dataHolder()).isEqualTo(HOSPITAL_A);
        assertThat(q.uziRole()).isEqualTo("01.015");
        assertThat(q.toString()).doesNotContain(PATIENT.value());
        assertThatThrownBy(() -> NationalConsentQuestion.of(aiLab(PurposeOfUse.AI), images(STUDY)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDenyCarriesNoObligations() {
        assertThatThrownBy(() -> new ConsentDecision(Decision.DENY, DecisionRule.DENY, null, Set.of(Obligation.DE_IDENTIFY)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
