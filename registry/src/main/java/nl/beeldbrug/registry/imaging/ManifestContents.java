package nl.beeldbrug.registry.imaging;

import java.util.List;

/**
 * What the content of a KOS manifest says about its study: the series it references and how many
 * instances of each (XDS-I.b: the Current Requested Procedure Evidence Sequence).
 */
public record ManifestContents(List<Series> series) {

    public ManifestContents {
        series = List.copyOf(series);
    }

    /** A referenced series: its Series Instance UID and the number of referenced instances. */
    public record Series(String uid, int instances) {
        public Series {
            if (uid == null || uid.isEmpty() || instances < 0) {
                throw new IllegalArgumentException("a series has a UID and a non-negative instance count");
            }
        }
    }

    public int seriesCount() {
        return series.size();
    }

    public int instanceCount() {
        return series.stream().mapToInt(Series::instances).sum();
    }
}
