package nl.beeldbrug.bench.openmodel;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formats phase results: a console line each, and a Markdown table. */
public final class Report {

    private Report() {
    }

    /** One phase on one line; {@code itemsName} names what a response holds ("entries", "studies"). */
    public static String line(OpenLoop.Result r, String itemsName) {
        Histogram h = r.latency();
        String errors = r.errors().isEmpty() ? "" : r.errors().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ", " (", ")"));
        return String.format(Locale.ROOT, "%5d req/s target: %,d ok of %,d in %.1f s = %.0f req/s; latency ms p50 %s p90 %s p99 %s"
                        + " p99.9 %s max %s; errors %d%s; %.1f %s/response, max in flight %d",
                r.rate(), r.ok(), r.scheduled(), r.elapsedSeconds(), r.throughput(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                max(h), r.errorCount(), errors, r.meanItems(), itemsName, r.maxInFlight());
    }

    public static String table(List<OpenLoop.Result> results, String itemsName) {
        StringBuilder sb = new StringBuilder();
        sb.append("| target req/s | duration | requests | ok | errors | throughput req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | ")
                .append(itemsName).append("/response | response KB | max in flight |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (OpenLoop.Result r : results) {
            Histogram h = r.latency();
            sb.append(String.format(Locale.ROOT, "| %d | %d s | %,d | %,d | %,d | %.0f | %s | %s | %s | %s | %s | %.1f | %.1f | %d |%n",
                    r.rate(), r.planned().toSeconds(), r.scheduled(), r.ok(), r.errorCount(), r.throughput(),
                    ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), max(h), r.meanItems(), r.meanResponseBytes() / 1024,
                    r.maxInFlight()));
        }
        return sb.toString();
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String max(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", h.getMaxValue() / 1000.0);
    }
}
