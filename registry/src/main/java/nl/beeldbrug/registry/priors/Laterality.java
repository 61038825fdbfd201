package nl.beeldbrug.registry.priors;

/** Which side an exam of a paired region covers; {@link #UNKNOWN} when nothing says so. */
public enum Laterality {
    LEFT, RIGHT, BOTH, UNKNOWN;

    /** Whether an exam of this side covers (at least) the side {@code planned} asks for. */
    public boolean covers(Laterality planned) {
        return this == planned || this == BOTH || this == UNKNOWN || planned == UNKNOWN;
    }

    /** Left against right: two exams of opposite sides. */
    public boolean opposite(Laterality other) {
        return (this == LEFT && other == RIGHT) || (this == RIGHT && other == LEFT);
    }
}
