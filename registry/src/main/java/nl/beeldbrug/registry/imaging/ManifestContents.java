package nl.beeldbrug.registry.imaging;

import java.util.List;
import java.util.Set;

/**
 * What the content of a KOS manifest says about its study: the series it references and how many
 * instances of each (XDS-I.b: the Current Requested Procedure Evidence Sequence), and, when the manifest's
 * bytes were read for it, which instances (SOP Instance UIDs).
 */
public record ManifestContents(List<Series> series) {

    public ManifestContents {
        series = List.copyOf(series);
    }

    /**
     * A referenced series: its Series Instance UID, the number of referenced instances and, when known, their SOP
     * Instance UIDs.
     *
     * @param sopInstanceUids the referenced instances, or null when unknown (the registry stores the counts only)
     */
    public record Series(String uid, int instances, Set<String> sopInstanceUids) {
        public Series {
            if (uid == null || uid.isEmpty() || instances < 0) {
                throw new IllegalArgumentException("a series has a UID and a non-negative instance count");
            }
            if (sopInstanceUids != null) {
                sopInstanceUids = Set.copyOf(sopInstanceUids);
                if (sopInstanceUids.size() != instances) {
                    throw new IllegalArgumentException("a series' instance count is the number of its SOP Instance UIDs");
                }
            }
        }

        /** A series of which only the instance count is known. */
        public Series(String uid, int instances) {
            this(uid, instances, null);
        }

        /** A series with its referenced instances. */
        public static Series of(String uid, Set<String> sopInstanceUids) {
            return new Series(uid, sopInstanceUids.size(), sopInstanceUids);
        }
    }

    public int seriesCount() {
        return series.size();
    }

    public int instanceCount() {
        return series.stream().mapToInt(Series::instances).sum();
    }

    /** True when every series names its instances (SOP Instance UIDs), not only their count. */
    public boolean instancesKnown() {
        return !series.isEmpty() && series.stream().allMatch(s -> s.sopInstanceUids() != null);
    }
}
