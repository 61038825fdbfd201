package nl.beeldbrug.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class PlotCommandTest {

    @TempDir
    Path dir;

    @Test
    void theLastRowPerLabelAndSizeCountsAndRowsWithoutTheMetricAreSkipped() throws Exception {
        Path csv = dir.resolve("national.csv");
        Files.writeString(csv, """
                date,studies,label,p50_ms,p99_ms
                a,1000000,prior check,10.0,30.0
                b,1000000,prior check,11.0,31.5
                c,10000000,prior check,12.0,40.0
                d,1000000,peer search,5.0,
                e,1000000,peer search,6.0,19.0
                """);
        Map<String, TreeMap<Long, Double>> lines = PlotCommand.read(csv, "p99_ms");
        assertThat(lines.keySet()).containsExactly("prior check", "peer search");
        assertThat(lines.get("prior check")).containsEntry(1_000_000L, 31.5).containsEntry(10_000_000L, 40.0).hasSize(2);
        assertThat(lines.get("peer search")).containsExactly(Map.entry(1_000_000L, 19.0));
    }

    @Test
    void writesAPng() throws Exception {
        Path csv = dir.resolve("national.csv");
        Files.writeString(csv, "studies,label,p99_ms\n1000000,a,30\n10000000,a,41\n");
        Path png = dir.resolve("out/plot.png");
        int rc = new CommandLine(new PlotCommand()).execute("--csv", csv.toString(), "--out", png.toString());
        assertThat(rc).isZero();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(1000);
        assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    @Test
    void failsWhenTheMetricIsMissing() throws Exception {
        Path csv = dir.resolve("national.csv");
        Files.writeString(csv, "studies,label,p50_ms\n1000000,a,30\n");
        int rc = new CommandLine(new PlotCommand()).execute("--csv", csv.toString(), "--out", dir.resolve("x.png").toString());
        assertThat(rc).isEqualTo(1);
        assertThat(dir.resolve("x.png")).doesNotExist();
    }
}
