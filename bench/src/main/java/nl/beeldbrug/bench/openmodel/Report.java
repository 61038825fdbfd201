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

    /** A closed-model phase ({@link ClosedLoop}) on one line. */
    public static String closedLine(OpenLoop.Result r, String itemsName) {
        Histogram h = r.latency();
        return String.format(Locale.ROOT, "%d connections: %,d ok in %.1f s = %.0f req/s; latency ms p50 %s p99 %s p99.9 %s max %s;"
                        + " errors %d %s; %.1f %s/response",
                r.maxInFlight(), r.ok(), r.elapsedSeconds(), r.throughput(), ms(h, 50), ms(h, 99), ms(h, 99.9), max(h),
                r.errorCount(), r.errors().isEmpty() ? "" : r.errors().toString(), r.meanItems(), itemsName);
    }

    public static String closedTable(List<OpenLoop.Result> results, String itemsName) {
        StringBuilder sb = new StringBuilder();
        sb.append("| connections | duration | ok | errors | throughput req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | ")
                .append(itemsName).append("/response |\n");
        sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (OpenLoop.Result r : results) {
            Histogram h = r.latency();
            sb.append(String.format(Locale.ROOT, "| %d | %d s | %,d | %,d | %.0f | %s | %s | %s | %s | %s | %.1f |%n",
                    r.maxInFlight(), r.planned().toSeconds(), r.ok(), r.errorCount(), r.throughput(),
                    ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), max(h), r.meanItems()));
        }
        return sb.toString();
    }

    /** Columns of {@link #csvRow}: latencies in ms, empty when nothing succeeded. */
    public static final String CSV_HEADER = "series,model,load,seconds,requests,ok,errors,throughput,p50_ms,p90_ms,p99_ms,p999_ms,max_ms,items_per_response";

    /**
     * One phase as a CSV row; {@code model} is open (load = target req/s), cold (open, right after a start) or closed
     * (load = connections).
     */
    public static String csvRow(String series, String model, OpenLoop.Result r) {
        Histogram h = r.latency();
        int load = "closed".equals(model) ? (int) r.maxInFlight() : r.rate();
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%.1f,%s,%s,%s,%s,%s,%.2f", series, model, load,
                r.planned().toSeconds(), r.scheduled(), r.ok(), r.errorCount(), r.throughput(), csvMs(h, 50), csvMs(h, 90),
                csvMs(h, 99), csvMs(h, 99.9), h.getTotalCount() == 0 ? "" : String.format(Locale.ROOT, "%.2f", h.getMaxValue() / 1000.0),
                r.meanItems());
    }

    private static String csvMs(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "" : String.format(Locale.ROOT, "%.2f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1000.0);
    }

    private static String max(Histogram h) {
        return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", h.getMaxValue() / 1000.0);
    }
}
