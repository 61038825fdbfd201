package nl.beeldbrug.bench.consent;

import nl.beeldbrug.bench.openmodel.OpenLoop;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The tables of a {@link ConsentCostCommand} run: per path and rate, each mode aggregated over its rounds (latency
 * histograms merged), the guarded / unguarded ratios (of the aggregates, and per round: the two phases of a round ran
 * back to back with the same patients, so their ratio is the least noisy estimate), and every round on its own.
 */
final class CostReport {

    static final String GUARDED = "g";
    static final String UNGUARDED = "u";

    /** One measured phase; CPU in seconds (NaN when the process id was not given). */
    record Phase(String path, int rate, int round, String mode, int position, double loadAverage, OpenLoop.Result result,
                 double gatewayCpuSeconds, double dbCpuSeconds) {

        double gatewayCpuMsPerRequest() {
            return perRequest(gatewayCpuSeconds);
        }

        double dbCpuMsPerRequest() {
            return perRequest(dbCpuSeconds);
        }

        private double perRequest(double seconds) {
            long n = result.ok() + result.errorCount();
            return n == 0 ? Double.NaN : seconds * 1000 / n;
        }

        double ms(double percentile) {
            Histogram h = result.latency();
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** One mode of one path and rate, over all its rounds. */
    record Aggregate(List<Phase> phases, Histogram latency, long scheduled, long ok, long errors, double seconds,
                     double gatewayCpu, double dbCpu, double items, double responseBytes) {

        static Aggregate of(List<Phase> phases) {
            Histogram h = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
            long scheduled = 0, ok = 0, errors = 0;
            double seconds = 0, cpu = 0, db = 0, items = 0, bytes = 0;
            for (Phase p : phases) {
                OpenLoop.Result r = p.result();
                h.add(r.latency());
                scheduled += r.scheduled();
                ok += r.ok();
                errors += r.errorCount();
                seconds += r.elapsedSeconds();
                cpu += p.gatewayCpuSeconds();
                db += p.dbCpuSeconds();
                items += r.meanItems() * r.ok();
                bytes += r.meanResponseBytes() * r.ok();
            }
            return new Aggregate(phases, h, scheduled, ok, errors, seconds, cpu, db,
                    ok == 0 ? 0 : items / ok, ok == 0 ? 0 : bytes / ok);
        }

        double ms(double percentile) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
        }

        double throughput() {
            return seconds == 0 ? 0 : ok / seconds;
        }

        double gatewayCpuMsPerRequest() {
            return scheduled == 0 ? Double.NaN : gatewayCpu * 1000 / scheduled;
        }

        double dbCpuMsPerRequest() {
            return scheduled == 0 ? Double.NaN : dbCpu * 1000 / scheduled;
        }

        String spread(ToDoubleFunction<Phase> value) {
            double[] v = phases.stream().mapToDouble(value).sorted().toArray();
            return v.length == 0 ? "-" : num(v[0]) + "–" + num(v[v.length - 1]);
        }
    }

    private final Map<String, Map<Integer, Map<String, Aggregate>>> byPath = new LinkedHashMap<>();
    private final List<Phase> phases;
    private final Function<String, String> itemsName;

    CostReport(List<Phase> phases, Function<String, String> itemsName) {
        this.phases = phases;
        this.itemsName = itemsName;
        Map<String, Map<Integer, Map<String, List<Phase>>>> grouped = new LinkedHashMap<>();
        for (Phase p : phases) {
            grouped.computeIfAbsent(p.path(), k -> new LinkedHashMap<>()).computeIfAbsent(p.rate(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(p.mode(), k -> new ArrayList<>()).add(p);
        }
        grouped.forEach((path, rates) -> rates.forEach((rate, modes) -> modes.forEach((mode, list) ->
                byPath.computeIfAbsent(path, k -> new LinkedHashMap<>()).computeIfAbsent(rate, k -> new LinkedHashMap<>())
                        .put(mode, Aggregate.of(list)))));
    }

    boolean anyModeWithoutSuccess() {
        return byPath.values().stream().flatMap(r -> r.values().stream()).flatMap(m -> m.values().stream())
                .anyMatch(a -> a.ok() == 0);
    }

    String markdown() {
        return perMode() + "\n" + ratios() + "\n" + rounds();
    }

    /** Each mode aggregated, with the range of its per-round p50 and p99. */
    String perMode() {
        StringBuilder sb = new StringBuilder();
        sb.append("| path | target req/s | mode | requests | ok | errors | throughput req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms")
                .append(" | p50 ms, rounds min–max | p99 ms, rounds min–max | gateway CPU ms/req | PostgreSQL CPU ms/req | items/response |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        byPath.forEach((path, rates) -> rates.forEach((rate, modes) -> modes.forEach((mode, a) ->
                sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %,d | %,d | %,d | %.1f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f %s |%n",
                        label(path), rate, mode, a.scheduled(), a.ok(), a.errors(), a.throughput(),
                        num(a.ms(50)), num(a.ms(90)), num(a.ms(99)), num(a.ms(99.9)), num(a.ms(100)),
                        a.spread(p -> p.ms(50)), a.spread(p -> p.ms(99)),
                        num2(a.gatewayCpuMsPerRequest()), num2(a.dbCpuMsPerRequest()), a.items(), itemsName.apply(path))))));
        return sb.toString();
    }

    /** Guarded / unguarded: of the aggregates, and the median (min–max) of the per-round ratios. */
    String ratios() {
        StringBuilder sb = new StringBuilder();
        sb.append("| path | target req/s | throughput g/u | p50 g/u | p50 g/u per round, median (min–max) | p50 g − u ms")
                .append(" | p99 g/u | p99 g/u per round, median (min–max) | p99.9 g/u | gateway CPU g/u | gateway CPU g − u ms/req")
                .append(" | PostgreSQL CPU g/u | PostgreSQL CPU g − u ms/req |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        byPath.forEach((path, rates) -> rates.forEach((rate, modes) -> {
            Aggregate g = modes.get(GUARDED);
            Aggregate u = modes.get(UNGUARDED);
            if (g == null || u == null) {
                return;
            }
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    label(path), rate, num2(g.throughput() / u.throughput()),
                    num2(g.ms(50) / u.ms(50)), perRound(path, rate, p -> p.ms(50)), num(g.ms(50) - u.ms(50)),
                    num2(g.ms(99) / u.ms(99)), perRound(path, rate, p -> p.ms(99)),
                    num2(g.ms(99.9) / u.ms(99.9)),
                    num2(g.gatewayCpuMsPerRequest() / u.gatewayCpuMsPerRequest()),
                    num2(g.gatewayCpuMsPerRequest() - u.gatewayCpuMsPerRequest()),
                    num2(g.dbCpuMsPerRequest() / u.dbCpuMsPerRequest()),
                    num2(g.dbCpuMsPerRequest() - u.dbCpuMsPerRequest())));
        }));
        return sb.toString();
    }

    private String perRound(String path, int rate, ToDoubleFunction<Phase> value) {
        Map<Integer, double[]> pairs = new LinkedHashMap<>();
        for (Phase p : phases) {
            if (p.path().equals(path) && p.rate() == rate) {
                pairs.computeIfAbsent(p.round(), k -> new double[]{Double.NaN, Double.NaN})
                        [p.mode().equals(GUARDED) ? 0 : 1] = value.applyAsDouble(p);
            }
        }
        double[] ratios = pairs.values().stream().mapToDouble(v -> v[0] / v[1]).filter(Double::isFinite).sorted().toArray();
        if (ratios.length == 0) {
            return "-";
        }
        double median = ratios.length % 2 == 1 ? ratios[ratios.length / 2]
                : (ratios[ratios.length / 2 - 1] + ratios[ratios.length / 2]) / 2;
        return num2(median) + " (" + num2(ratios[0]) + "–" + num2(ratios[ratios.length - 1]) + ")";
    }

    /** Every round: both phases side by side, in the order they ran. */
    String rounds() {
        StringBuilder sb = new StringBuilder();
        sb.append("| path | target req/s | round | order | load (1 min) | p50 ms g | p50 ms u | p99 ms g | p99 ms u")
                .append(" | errors g / u | gateway CPU ms/req g | gateway CPU ms/req u | PostgreSQL CPU ms/req g | PostgreSQL CPU ms/req u |\n");
        sb.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Phase[]> pairs = new LinkedHashMap<>();
        for (Phase p : phases) {
            pairs.computeIfAbsent(p.path() + "|" + p.rate() + "|" + p.round(), k -> new Phase[2])
                    [p.mode().equals(GUARDED) ? 0 : 1] = p;
        }
        pairs.values().stream().filter(v -> v[0] != null && v[1] != null).forEach(v -> {
            Phase g = v[0], u = v[1];
            String order = g.position() == 0 ? "g, u" : "u, g";
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.2f / %.2f | %s | %s | %s | %s | %d / %d | %s | %s | %s | %s |%n",
                    label(g.path()), g.rate(), g.round() + 1, order,
                    g.position() == 0 ? g.loadAverage() : u.loadAverage(), g.position() == 0 ? u.loadAverage() : g.loadAverage(),
                    num(g.ms(50)), num(u.ms(50)), num(g.ms(99)), num(u.ms(99)),
                    g.result().errorCount(), u.result().errorCount(),
                    num2(g.gatewayCpuMsPerRequest()), num2(u.gatewayCpuMsPerRequest()),
                    num2(g.dbCpuMsPerRequest()), num2(u.dbCpuMsPerRequest())));
        });
        return sb.toString();
    }

    private static String label(String path) {
        return path.equals("iti18") ? "ITI-18 FindDocuments" : "$prior-check";
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-";
    }

    private static String num2(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "-";
    }
}
