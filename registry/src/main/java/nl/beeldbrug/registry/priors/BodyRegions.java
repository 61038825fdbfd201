package nl.beeldbrug.registry.priors;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The region hierarchy ({@code regions.tsv}: knee within lower limb, upper abdomen within abdomen) and which
 * regions border each other ({@code adjacent.tsv}).
 */
public final class BodyRegions {

    private final Map<String, String> parents = new HashMap<>();
    private final Set<String> paired = new HashSet<>();
    private final Map<String, Set<String>> adjacent = new HashMap<>();

    private BodyRegions() {
    }

    /** The maps shipped with Beeldbrug. */
    public static BodyRegions standard() {
        BodyRegions regions = new BodyRegions();
        for (String[] row : CodeMaps.rows("regions.tsv")) {
            regions.parents.put(row[0], "-".equals(row[1]) ? null : row[1]);
            if ("yes".equals(row[2])) {
                regions.paired.add(row[0]);
            }
        }
        for (String region : regions.parents.keySet()) {
            String parent = regions.parents.get(region);
            if (parent != null && !regions.parents.containsKey(parent)) {
                throw new IllegalStateException("regions.tsv: unknown parent " + parent + " of " + region);
            }
        }
        for (String[] row : CodeMaps.rows("adjacent.tsv")) {
            regions.require(row[0]);
            regions.require(row[1]);
            regions.adjacent.computeIfAbsent(row[0], k -> new HashSet<>()).add(row[1]);
            regions.adjacent.computeIfAbsent(row[1], k -> new HashSet<>()).add(row[0]);
        }
        return regions;
    }

    public boolean known(String region) {
        return parents.containsKey(region);
    }

    void require(String region) {
        if (!known(region)) {
            throw new IllegalStateException("unknown body region: " + region);
        }
    }

    /** Whether a side applies (limbs, breast, kidney, ...). */
    public boolean paired(String region) {
        return paired.contains(region);
    }

    /** The region and every region it lies within, nearest first. */
    public Set<String> selfAndAncestors(String region) {
        Set<String> chain = new LinkedHashSet<>();
        for (String r = region; r != null; r = parents.get(r)) {
            chain.add(r);
        }
        return chain;
    }

    /** The region every other lies within (a whole-body PET-CT covers the chest). */
    public static final String WHOLE_BODY = "whole-body";

    /**
     * Whether a study of {@code outer} covers {@code inner}: the same region, one {@code inner} lies within, or the
     * whole body.
     */
    public boolean covers(String outer, String inner) {
        return WHOLE_BODY.equals(outer) || selfAndAncestors(inner).contains(outer);
    }

    /** Whether two regions relate without one covering the other: they border, or one's parent borders the other. */
    public boolean related(String a, String b) {
        if (covers(a, b) || covers(b, a)) {
            return true;
        }
        for (String x : selfAndAncestors(a)) {
            for (String y : selfAndAncestors(b)) {
                if (adjacent.getOrDefault(x, Set.of()).contains(y)) {
                    return true;
                }
            }
        }
        // siblings within the same part of the trunk or head (liver and pancreas); within a limb only neighbours
        String pa = parents.get(a);
        return pa != null && pa.equals(parents.get(b)) && !paired(pa);
    }

    /** Keeps the most specific regions of a set: a region that another region of the set lies within is dropped. */
    public Set<String> mostSpecific(Set<String> regions) {
        Set<String> result = new LinkedHashSet<>();
        for (String r : regions) {
            boolean hasInner = regions.stream().anyMatch(other -> !other.equals(r) && covers(r, other));
            if (!hasInner) {
                result.add(r);
            }
        }
        return result;
    }
}
