package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.patient.Bsn;

import java.util.Random;

/** One release point driven through its real protocol path and compared with the oracle. */
interface ReleasePoint {

    /** One generated request: who asks, about which patient, in which consent state; {@code random} picks the variant. */
    record Case(LeakWorld.Requester requester, Bsn patient, LeakOracle oracle, Random random, Tally tally) {
    }

    String name();

    /**
     * Sends the request and compares the answer with the oracle.
     *
     * @return null when the answer is exactly what the oracle allows; otherwise what leaked or differed
     */
    String check(Case c) throws Exception;
}
