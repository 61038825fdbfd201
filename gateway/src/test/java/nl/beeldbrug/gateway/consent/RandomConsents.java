package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Period;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.store.ConsentStore;
import nl.beeldbrug.registry.patient.Bsn;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random consents of one patient: permits and denies by organisation (URA) or organisation type, purposes,
 * periods around now (every boundary at least two hours from now, so a round of requests cannot cross one),
 * data classes, specific studies (of the patient, of another patient, or unknown), inactive and revoked ones.
 */
final class RandomConsents {

    /** A generated consent and whether it is revoked right after it is stored. */
    record Generated(ConsentRecord record, boolean revoke) {
    }

    private static final List<OrganisationType> TYPES = List.of(OrganisationType.HOSPITAL, OrganisationType.ZDC,
            OrganisationType.GP, OrganisationType.AI_PLATFORM);

    private final LeakWorld world;

    RandomConsents(LeakWorld world) {
        this.world = world;
    }

    List<Generated> of(Bsn patient, Random random, Instant now) {
        int count = random.nextInt(10) < 2 ? 0 : 1 + random.nextInt(3);
        List<Generated> consents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int provisions = 1 + random.nextInt(3);
            List<Provision> rules = new ArrayList<>();
            for (int p = 0; p < provisions; p++) {
                rules.add(provision(patient, random, now));
            }
            int status = random.nextInt(20);
            ConsentStatus initial = status < 2 ? ConsentStatus.INACTIVE : ConsentStatus.ACTIVE;
            ConsentRecord record = new ConsentRecord(ConsentStore.newId(), patient, initial, now.minus(Duration.ofDays(1)), rules);
            consents.add(new Generated(record, status >= 2 && status < 5));
        }
        return consents;
    }

    private Provision provision(Bsn patient, Random random, Instant now) {
        Provision.Builder builder = random.nextInt(100) < 55 ? Provision.permit() : Provision.deny();
        if (random.nextInt(10) >= 4) {
            int actors = 1 + random.nextInt(2);
            for (int a = 0; a < actors; a++) {
                if (random.nextBoolean()) {
                    builder.organisation(world.organisations.get(random.nextInt(world.organisations.size())).ura());
                } else {
                    builder.organisationType(TYPES.get(random.nextInt(TYPES.size())));
                }
            }
        }
        if (random.nextInt(100) >= 35) {
            for (PurposeOfUse purpose : PurposeOfUse.values()) {
                if (random.nextInt(100) < 40) {
                    builder.purposes(purpose);
                }
            }
        }
        builder.period(period(random, now));
        if (random.nextBoolean()) {
            builder.dataClasses(random.nextBoolean() ? DataClass.IMAGING_STUDY : DataClass.REPORT);
        }
        if (random.nextInt(10) >= 6) {
            List<LeakWorld.Study> own = world.studiesOf(patient);
            int studies = 1 + random.nextInt(2);
            for (int s = 0; s < studies; s++) {
                int pick = random.nextInt(10);
                if (pick < 8 && !own.isEmpty()) {
                    builder.studies(own.get(random.nextInt(own.size())).uid());
                } else if (pick < 9) {
                    builder.studies(world.studies.get(random.nextInt(world.studies.size())).uid());
                } else {
                    builder.studies("2.25.999" + random.nextInt(1_000_000));
                }
            }
        }
        return builder.build();
    }

    private static Period period(Random random, Instant now) {
        Duration h = Duration.ofHours(2 + random.nextInt(46));
        Duration k = Duration.ofHours(2 + random.nextInt(46));
        return switch (random.nextInt(12)) {
            case 0 -> new Period(now.minus(h).minus(k), now.minus(h));   // over
            case 1 -> new Period(now.minus(h), now.plus(k));             // running
            case 2 -> new Period(now.plus(h), now.plus(h).plus(k));      // not yet
            case 3 -> new Period(null, now.plus(h));                     // running, open start
            case 4 -> new Period(null, now.minus(h));                    // over, open start
            case 5 -> new Period(now.plus(h), null);                     // not yet, open end
            case 6 -> new Period(now.minus(h), null);                    // running, open end
            default -> Period.ALWAYS;
        };
    }
}
