package nl.beeldbrug.registry.consent;

import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static nl.beeldbrug.registry.consent.ConsentFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded randomized test of the decision engine's invariants over generated requests, consents and
 * policies. The seed is fixed (reproducible); override with {@code -Dconsent.seed=...} and the number of
 * cases with {@code -Dconsent.cases=...}. A failure names the seed and the case number.
 */
class ConsentDecisionPropertyTest {

    private static final long SEED = Long.getLong("consent.seed", 20260601L);
    private static final int CASES = Integer.getInteger("consent.cases", 120_000);

    private static final List<Ura> URAS = List.of(HOSPITAL_A, HOSPITAL_B, ZDC_C, AI_LAB);
    private static final List<OrganisationType> TYPES =
            List.of(OrganisationType.HOSPITAL, OrganisationType.ZDC, OrganisationType.GP, OrganisationType.AI_PLATFORM);
    private static final List<String> STUDIES = List.of(STUDY, OTHER_STUDY, "1.2.528.1.1001.200.3");
    private static final PurposeOfUse[] PURPOSES = PurposeOfUse.values();

    private final Random random = new Random(SEED);

    @Test
    void invariantsHoldOverGeneratedCases() {
        int[] secondaryPermits = new int[1];
        int[] studyDenies = new int[1];
        for (int n = 0; n < CASES; n++) {
            Case c = generate();
            final int caseNumber = n;
            java.util.function.Supplier<String> where = () -> "seed " + SEED + ", case " + caseNumber + ": " + c;
            ConsentDecision d = c.engine.decide(c.request, c.consents, c.resource, c.national);

            // obligations: exactly secondary-use permits are de-identified
            assertThat(d.obligations().contains(Obligation.DE_IDENTIFY))
                    .as(where).isEqualTo(d.permitted() && c.request.purpose().isSecondaryUse());

            // AI/RESEARCH: never permitted without an explicit, applicable permit for that very purpose
            if (c.request.purpose().isSecondaryUse() && d.permitted()) {
                secondaryPermits[0]++;
                assertThat(hasExplicitApplicablePermit(c)).as(where).isTrue();
                assertThat(d.consentId()).as(where).isNotNull();
            }

            // national modes: Indeterminate / Deny / not asked never permit a treatment purpose
            if (c.engine.policy().asksNationally(c.request.purpose())
                    && (c.national == null || c.national == NationalConsentAnswer.INDETERMINATE || c.national == NationalConsentAnswer.DENY)) {
                assertThat(d.decision()).as(where).isEqualTo(Decision.DENY);
            }
            if (c.engine.policy().nationalMode() == NationalConsentMode.NATIONAL && c.request.purpose().isTreatment() && d.permitted()) {
                assertThat(c.national).as(where).isEqualTo(NationalConsentAnswer.PERMIT);
            }

            // the order of the consents and of their provisions does not matter
            assertThat(c.engine.decide(c.request, shuffled(c.consents), c.resource, c.national)).as(where).isEqualTo(d);

            if (!c.consents.isEmpty()) {
                int i = random.nextInt(c.consents.size());
                ConsentRecord target = c.consents.get(i);
                List<ConsentRecord> without = new ArrayList<>(c.consents);
                without.remove(i);
                ConsentDecision withoutIt = c.engine.decide(c.request, without, c.resource, c.national);
                // revocation (and inactivity) removes every effect of a consent
                for (ConsentStatus status : List.of(ConsentStatus.REVOKED, ConsentStatus.INACTIVE)) {
                    List<ConsentRecord> changed = new ArrayList<>(c.consents);
                    changed.set(i, target.withStatus(status));
                    assertThat(c.engine.decide(c.request, changed, c.resource, c.national)).as(() -> where.get() + " " + status).isEqualTo(withoutIt);
                }
                // a consent whose periods are all over has no effect either
                List<ConsentRecord> expired = new ArrayList<>(c.consents);
                expired.set(i, expire(target, c.request.time()));
                assertThat(c.engine.decide(c.request, expired, c.resource, c.national)).as(() -> where.get() + " expired").isEqualTo(withoutIt);
                // nor does another patient's consent
                List<ConsentRecord> moved = new ArrayList<>(c.consents);
                moved.set(i, new ConsentRecord(target.id(), otherPatient(c.resource.patient()), target.status(), target.dateTime(), target.provisions()));
                assertThat(c.engine.decide(c.request, moved, c.resource, c.national)).as(() -> where.get() + " other patient").isEqualTo(withoutIt);
            }

            // a deny for the exact study (matching actor, purpose, period, data) beats every permit
            ConsentRecord studyDeny = new ConsentRecord("zz-study-deny", c.resource.patient(), ConsentStatus.ACTIVE, NOW,
                    List.of(studyDenyFor(c)));
            List<ConsentRecord> withStudyDeny = new ArrayList<>(c.consents);
            withStudyDeny.add(random.nextInt(withStudyDeny.size() + 1), studyDeny);
            ConsentDecision denied = c.engine.decide(c.request, withStudyDeny, c.resource, c.national);
            assertThat(denied.decision()).as(where).isEqualTo(Decision.DENY);
            assertThat(denied.rule()).as(where).isEqualTo(DecisionRule.STUDY_DENY);
            studyDenies[0]++;

            // monotonic: one more permit never takes a permit away; one more deny never grants
            ConsentRecord extraPermit = new ConsentRecord("extra", c.resource.patient(), ConsentStatus.ACTIVE, NOW, List.of(provision(ProvisionType.PERMIT)));
            ConsentRecord extraDeny = new ConsentRecord("extra", c.resource.patient(), ConsentStatus.ACTIVE, NOW, List.of(provision(ProvisionType.DENY)));
            if (d.permitted()) {
                assertThat(c.engine.decide(c.request, plus(c.consents, extraPermit), c.resource, c.national).permitted()).as(where).isTrue();
            } else {
                assertThat(c.engine.decide(c.request, plus(c.consents, extraDeny), c.resource, c.national).permitted()).as(where).isFalse();
            }
        }
        assertThat(CASES).isGreaterThanOrEqualTo(100_000);
        // the generator must reach the interesting corners, or the invariants above prove little
        assertThat(secondaryPermits[0]).as("secondary-use permits generated").isGreaterThan(CASES / 100);
        assertThat(studyDenies[0]).isEqualTo(CASES);
    }

    /** Independent re-statement of "an explicit permit for this purpose applies" (does not call Provision.appliesTo). */
    private static boolean hasExplicitApplicablePermit(Case c) {
        for (ConsentRecord consent : c.consents) {
            if (consent.status() != ConsentStatus.ACTIVE || !consent.patient().equals(c.resource.patient())) {
                continue;
            }
            for (Provision p : consent.provisions()) {
                boolean actor = p.actors().isEmpty() || p.actors().stream().anyMatch(a ->
                        a instanceof Actor.Organisation o ? o.ura().equals(c.request.organisation())
                                : ((Actor.OfType) a).type().equals(c.request.organisationType()));
                Instant t = c.request.time();
                boolean period = (p.period().start() == null || !t.isBefore(p.period().start()))
                        && (p.period().end() == null || t.isBefore(p.period().end()));
                if (p.type() == ProvisionType.PERMIT && p.purposes().contains(c.request.purpose()) && actor && period
                        && (p.dataClasses().isEmpty() || p.dataClasses().contains(c.resource.dataClass()))
                        && (p.studyUids().isEmpty() || p.studyUids().contains(c.resource.studyInstanceUid()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private Provision studyDenyFor(Case c) {
        Provision.Builder b = Provision.deny().studies(c.resource.studyInstanceUid());
        switch (random.nextInt(3)) {
            case 0 -> b.organisation(c.request.organisation());
            case 1 -> b.organisationType(c.request.organisationType());
            default -> { }
        }
        if (random.nextBoolean()) {
            b.purposes(c.request.purpose());
        }
        if (random.nextBoolean()) {
            b.dataClasses(c.resource.dataClass());
        }
        return b.build();
    }

    private static ConsentRecord expire(ConsentRecord c, Instant now) {
        List<Provision> past = new ArrayList<>();
        for (Provision p : c.provisions()) {
            past.add(new Provision(p.type(), p.actors(), p.purposes(), new Period(null, now), p.dataClasses(), p.studyUids()));
        }
        return new ConsentRecord(c.id(), c.patient(), c.status(), c.dateTime(), past);
    }

    private static Bsn otherPatient(Bsn patient) {
        return patient.equals(PATIENT) ? OTHER_PATIENT : PATIENT;
    }

    private static List<ConsentRecord> plus(List<ConsentRecord> list, ConsentRecord extra) {
        List<ConsentRecord> result = new ArrayList<>(list);
        result.add(extra);
        return result;
    }

    private List<ConsentRecord> shuffled(List<ConsentRecord> consents) {
        List<ConsentRecord> result = new ArrayList<>();
        for (ConsentRecord c : consents) {
            List<Provision> provisions = new ArrayList<>(c.provisions());
            Collections.shuffle(provisions, random);
            result.add(new ConsentRecord(c.id(), c.patient(), c.status(), c.dateTime(), provisions));
        }
        Collections.shuffle(result, random);
        return result;
    }

    private Case generate() {
        ConsentPolicy policy = ConsentPolicy.defaults()
                .withNationalMode(NationalConsentMode.values()[random.nextInt(NationalConsentMode.values().length)]);
        if (random.nextInt(4) == 0) {
            policy = policy.withDefault(random.nextBoolean() ? PurposeOfUse.TREAT : PurposeOfUse.COC, Decision.DENY);
        }
        int u = random.nextInt(URAS.size());
        // mostly the natural type of the organisation, sometimes another
        OrganisationType type = random.nextInt(5) == 0 ? pick(TYPES) : TYPES.get(u);
        PurposeOfUse purpose = PURPOSES[random.nextInt(PURPOSES.length)];
        RequestContext request = new RequestContext(URAS.get(u), type, "01.015", "u", purpose, NOW);
        ResourceMetadata resource = new ResourceMetadata(random.nextInt(10) == 0 ? OTHER_PATIENT : PATIENT, pick(STUDIES),
                random.nextBoolean() ? DataClass.IMAGING_STUDY : DataClass.REPORT, HOSPITAL_A, OrganisationType.HOSPITAL);
        List<ConsentRecord> consents = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            List<Provision> provisions = new ArrayList<>();
            int pc = 1 + random.nextInt(3);
            for (int j = 0; j < pc; j++) {
                provisions.add(provision(random.nextInt(3) == 0 ? ProvisionType.DENY : ProvisionType.PERMIT));
            }
            ConsentStatus status = random.nextInt(6) == 0 ? ConsentStatus.values()[random.nextInt(3)] : ConsentStatus.ACTIVE;
            Bsn patient = random.nextInt(8) == 0 ? OTHER_PATIENT : PATIENT;
            consents.add(new ConsentRecord("c" + random.nextInt(10), patient, status, NOW, provisions));
        }
        NationalConsentAnswer national = random.nextInt(6) == 0 ? null
                : NationalConsentAnswer.values()[random.nextInt(NationalConsentAnswer.values().length)];
        return new Case(new ConsentDecisionEngine(policy), request, consents, resource, national);
    }

    private Provision provision(ProvisionType type) {
        Set<Actor> actors = new HashSet<>();
        int ac = random.nextInt(3);
        for (int k = 0; k < ac; k++) {
            actors.add(random.nextBoolean() ? Actor.organisation(pick(URAS)) : Actor.organisationType(pick(TYPES)));
        }
        Set<PurposeOfUse> purposes = EnumSet.noneOf(PurposeOfUse.class);
        int pc = random.nextInt(3);
        for (int k = 0; k < pc; k++) {
            purposes.add(PURPOSES[random.nextInt(PURPOSES.length)]);
        }
        Set<DataClass> classes = EnumSet.noneOf(DataClass.class);
        if (random.nextInt(3) == 0) {
            classes.add(random.nextBoolean() ? DataClass.IMAGING_STUDY : DataClass.REPORT);
        }
        Set<String> studies = new HashSet<>();
        if (random.nextInt(3) == 0) {
            studies.add(pick(STUDIES));
        }
        return new Provision(type, actors, purposes, period(), classes, studies);
    }

    private Period period() {
        return switch (random.nextInt(5)) {
            case 0 -> new Period(NOW.minusSeconds(3600), NOW.plusSeconds(3600));
            case 1 -> new Period(null, NOW.minusSeconds(random.nextInt(2))); // over (end exclusive)
            case 2 -> new Period(NOW.plusSeconds(random.nextInt(2)), null); // starts now or later
            default -> Period.ALWAYS;
        };
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private record Case(ConsentDecisionEngine engine, RequestContext request, List<ConsentRecord> consents,
                        ResourceMetadata resource, NationalConsentAnswer national) {
        @Override
        public String toString() {
            return engine.policy() + " " + request + " " + resource + " national=" + national + " consents=" + consents;
        }
    }
}
