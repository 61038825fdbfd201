package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.patient.Bsn;

import java.util.Random;

/** One release point driven through its real protocol path and compared with the oracle. */
interface ReleasePoint {

    /** One generated request: who asks, about which patient, in which consent state; {@code random} picks the variant. */
    record Case(LeakWorld.Requester requester, Bsn patient, LeakOracle oracle, Random random, Tally tally) {
    }

    String name();

    /** Its share of the cases relative to the others (a slow path gets a smaller one). */
    default int weight() {
        return 2;
    }

    /**
     * Sends the request and compares the answer with the oracle.
     *
     * @return null when the answer is exactly what the oracle allows; otherwise what leaked or differed
     */
    String check(Case c) throws Exception;

    /** A check of a case, given the release point's name. */
    interface Check {
        String check(Case c, String name) throws Exception;
    }

    static ReleasePoint of(String name, int weight, Check check) {
        return new ReleasePoint() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int weight() {
                return weight;
            }

            @Override
            public String check(Case c) throws Exception {
                return check.check(c, name);
            }
        };
    }
}
