package nl.beeldbrug.bench.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code plot}: draws latency against corpus size from the national benchmark's summary CSV (one row per server,
 * request kind and corpus size; columns named in the header, at least {@code studies}, {@code label} and the metric)
 * into a PNG: one line per label, corpus size on a logarithmic axis. For a label measured more than once at the same
 * size, the last row counts.
 */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "PNG of latency against corpus size from the national benchmark's summary CSV.")
public final class PlotCommand implements Callable<Integer> {

    @Option(names = "--csv", required = true, description = "Summary CSV (bench/run-national.sh writes docs/bench/national.csv).")
    Path csv;

    @Option(names = "--out", required = true, description = "PNG to write.")
    Path out;

    @Option(names = "--metric", defaultValue = "p99_ms", description = "Column to plot (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--title", defaultValue = "Latency against corpus size (2 cores, consent and audit on)")
    String title;

    @Override
    public Integer call() throws IOException {
        Map<String, TreeMap<Long, Double>> lines = read(csv, metric);
        if (lines.isEmpty()) {
            System.err.println("no rows with studies, label and " + metric + " in " + csv);
            return 1;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        lines.forEach((label, points) -> {
            XYSeries series = new XYSeries(label);
            points.forEach(series::add);
            data.addSeries(series);
        });
        LogAxis x = new LogAxis("studies in the corpus (logarithmic)");
        x.setBase(10);
        double min = lines.values().stream().mapToDouble(TreeMap::firstKey).min().orElse(1e6);
        double max = lines.values().stream().mapToDouble(TreeMap::lastKey).max().orElse(1e7);
        x.setRange(Math.pow(10, Math.floor(Math.log10(min))) * 0.5, Math.pow(10, Math.ceil(Math.log10(max) + 1e-9)) * 2);
        x.setTickUnit(new NumberTickUnit(1.0));
        x.setNumberFormatOverride(new DecimalFormat("#,##0"));
        double low = lines.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).min().orElse(1);
        double high = lines.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Double::doubleValue).max().orElse(1);
        String yLabel = metric.replace("_ms", "") + " latency (ms)";
        // a saturated server's seconds next to milliseconds: a logarithmic axis keeps both readable
        org.jfree.chart.axis.ValueAxis y;
        if (low > 0 && high / low > 50) {
            LogAxis logY = new LogAxis(yLabel + ", logarithmic");
            logY.setBase(10);
            logY.setTickUnit(new NumberTickUnit(1.0));
            logY.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
            logY.setRange(Math.pow(10, Math.floor(Math.log10(low))), Math.pow(10, Math.ceil(Math.log10(high))));
            y = logY;
        } else {
            y = new NumberAxis(yLabel);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ChartUtils.saveChartAsPNG(out.toFile(), chart, 900, 540);
        System.out.println("plot: " + out + " (" + data.getSeriesCount() + " lines)");
        return 0;
    }

    /** label → (studies → metric), in the order labels first appear. */
    static Map<String, TreeMap<Long, Double>> read(Path csv, String metric) throws IOException {
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        Map<String, TreeMap<Long, Double>> lines = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return lines;
        }
        List<String> header = Arrays.asList(rows.get(0).split(",", -1));
        int studies = header.indexOf("studies");
        int label = header.indexOf("label");
        int value = header.indexOf(metric);
        if (studies < 0 || label < 0 || value < 0) {
            return lines;
        }
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",", -1);
            if (cells.length <= Math.max(studies, Math.max(label, value)) || cells[value].isBlank()) {
                continue;
            }
            lines.computeIfAbsent(cells[label], l -> new TreeMap<>())
                    .put(Long.parseLong(cells[studies].trim()), Double.parseDouble(cells[value].trim()));
        }
        return lines;
    }
}
