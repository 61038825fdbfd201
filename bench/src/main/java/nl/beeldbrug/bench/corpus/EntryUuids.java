package nl.beeldbrug.bench.corpus;

import java.util.UUID;

/**
 * The entryUUIDs of one patient's registry objects and associations, in the order they are
 * registered. The registry draws them at random; here each is a bijective mix of (seed, patient,
 * counter), so they look random (version 4) yet are reproducible and practically never collide.
 */
public final class EntryUuids {

    private final long salt;
    private final long patient;
    private int counter;

    public EntryUuids(long seed, int patient) {
        this.salt = mix(seed ^ 0x62656c64627275L);
        this.patient = patient;
    }

    public String next() {
        long key = (patient << 24) | counter++;
        long msb = (mix(salt ^ key) & ~0xF000L) | 0x4000L;
        long lsb = (mix(~salt ^ key) & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return "urn:uuid:" + new UUID(msb, lsb);
    }

    /** Stafford's variant 13 of the MurmurHash3 finalizer: a bijection on 64-bit values. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
