package nl.beeldbrug.adapters.dicom.data;

/**
 * Bounds applied to every decoded data set, since all input is hostile.
 *
 * @param maxDepth            maximum sequence nesting depth
 * @param maxInMemoryValue    largest value kept in memory; larger values go to bulk data or fail
 * @param bulkDataThreshold   values at least this long become {@link BulkData} (when spooling is allowed)
 * @param maxTotalBytes       maximum encoded bytes read for one data set
 * @param maxElements         maximum number of elements (all levels) in one data set
 * @param allowBulkData       whether large values may be spooled to temporary files
 */
public record ParseLimits(int maxDepth, int maxInMemoryValue, int bulkDataThreshold, long maxTotalBytes,
                          int maxElements, boolean allowBulkData) {

    /** For files and C-STORE: large pixel data spooled/referenced, never loaded. */
    public static final ParseLimits FILES = new ParseLimits(32, 64 << 20, 1 << 20, Long.MAX_VALUE, 1_000_000, true);
    /** For small network data sets (queries, identifiers): all in memory, strictly bounded. */
    public static final ParseLimits QUERY = new ParseLimits(16, 1 << 20, Integer.MAX_VALUE, 4 << 20, 20_000, false);
}
