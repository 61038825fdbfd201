package nl.beeldbrug.bench.corpus.national;

/**
 * The consents of the national corpus' patients. In Beeldbrug a patient without consent records is released for
 * treatment by the default decision ({@code DEFAULT_PERMIT}, LOCAL mode; docs/consent.md), and secondary use (AI,
 * research) only with an explicit permit for it. The mix (per mille of patients):
 * <ul>
 *   <li>{@link #NONE} 220: no consent recorded (the default decides);</li>
 *   <li>{@link #PERMIT} 680: an active general permit (no purposes: TREAT and COC);</li>
 *   <li>{@link #PERMIT_AI} 50: the general permit and a permit for purpose AI (research on de-identified images);</li>
 *   <li>{@link #DENY_STUDY} 20: the general permit and a deny of one of their studies (study-specific);</li>
 *   <li>{@link #DENY_ORGANISATION} 15: the general permit and a deny of one organisation (their home ZDC);</li>
 *   <li>{@link #DENY_ALL} 15: a deny without purposes (opt-out of every exchange).</li>
 * </ul>
 * So 5 % of patients have an explicit denial; every other patient's studies are all visible to a treating
 * requester ({@link #fullyVisible()}), and the benchmark's searches are drawn from those patients only.
 */
public enum ConsentMix {
    NONE(220), PERMIT(680), PERMIT_AI(50), DENY_STUDY(20), DENY_ORGANISATION(15), DENY_ALL(15);

    final int perMille;

    ConsentMix(int perMille) {
        this.perMille = perMille;
    }

    public boolean fullyVisible() {
        return this == NONE || this == PERMIT || this == PERMIT_AI;
    }

    /** The kind for a uniform draw in [0, 1000). */
    static ConsentMix of(int draw) {
        int r = draw;
        for (ConsentMix kind : values()) {
            r -= kind.perMille;
            if (r < 0) {
                return kind;
            }
        }
        throw new IllegalArgumentException("draw " + draw);
    }
}
