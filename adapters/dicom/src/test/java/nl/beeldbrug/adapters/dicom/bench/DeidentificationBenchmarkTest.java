package nl.beeldbrug.adapters.dicom.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.BulkData;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.deid.ConfidentialityProfile;
import nl.beeldbrug.adapters.dicom.deid.DeidentificationKeys;
import nl.beeldbrug.adapters.dicom.deid.DeidentificationOptions;
import nl.beeldbrug.adapters.dicom.deid.Deidentifier;
import nl.beeldbrug.adapters.dicom.deid.DescriptorCleaner;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.dict.UID;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.testing.Peers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * De-identification throughput (issue 7): the pydicom sample instances, CT-sized instances (512x512x16 bit, the
 * header of the CT sample) and one large multi-frame instance, each de-identified with the AI options and
 * HMAC-SHA256 keys, one instance at a time on one thread. Measurements, not assertions of speed. Run with
 * {@code mvn -B test -Pbench -Dtest=DeidentificationBenchmarkTest}; writes target/deid-benchmark.md.
 */
@org.junit.jupiter.api.Tag("benchmark")
class DeidentificationBenchmarkTest {
    private static final int SMALL = Integer.getInteger("bench.deid.small", 3000);
    private static final int CT = Integer.getInteger("bench.deid.ct", 1000);
    private static final int LARGE_FRAMES = Integer.getInteger("bench.deid.frames", 200);
    private static final int LARGE_RUNS = Integer.getInteger("bench.deid.large", 5);

    @TempDir
    Path tmp;

    private final Deidentifier deidentifier = new Deidentifier(ConfidentialityProfile.standard(),
            DeidentificationOptions.standardForAi(), DescriptorCleaner.allowWords(java.util.Set.of("CT", "MR")));
    private final DeidentificationKeys keys = new HmacKeys("benchmark-platform-key-32-bytes!!".getBytes(StandardCharsets.UTF_8));

    @Test
    void throughput() throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("- date: ").append(Instant.now()).append('\n');
        md.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (nproc), ")
                .append(cpuModel()).append(", load average at start ").append(loadAverage()).append('\n');
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        md.append("- command: `./mvnw -B -o -pl adapters/dicom test -Pbench -Dtest=DeidentificationBenchmarkTest`\n\n");
        md.append("| input | instances | bytes/instance | instances/s | MB/s (input) | CPU ms/instance | output |\n|---|---|---|---|---|---|---|\n");

        List<Path> samples = List.of(Peers.sample("CT_small.dcm"), Peers.sample("MR_small.dcm"),
                Peers.sample("JPEG2000.dcm"));
        md.append(row("pydicom samples CT_small, MR_small, JPEG2000 (cycled)", samples, SMALL, false));
        List<Path> ct = ctInstances(tmp.resolve("ct"), 50);
        md.append(row("CT 512x512x16 bit, CT_small header (50 files cycled)", ct, CT, false));
        md.append(row("CT 512x512x16 bit, written to files", ct, CT / 2, true));
        Path large = multiFrame(tmp.resolve("large.dcm"), LARGE_FRAMES);
        md.append(row("multi-frame CT " + LARGE_FRAMES + " x 512x512x16 bit (pixel data spooled)", List.of(large),
                LARGE_RUNS, true));

        Path out = Path.of("target", "deid-benchmark.md");
        Files.writeString(out, md.toString());
        System.out.println(md);
    }

    private String row(String label, List<Path> files, int n, boolean toFile) throws IOException {
        long bytesPerRound = 0;
        for (int i = 0; i < n; i++) {
            bytesPerRound += Files.size(files.get(i % files.size()));
        }
        run(files, Math.max(1, n / 5), toFile); // warm-up
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        long written = run(files, n, toFile);
        long nanos = System.nanoTime() - t0;
        double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / n;
        assertThat(written).isPositive();
        double seconds = nanos / 1e9;
        return String.format("| %s | %d | %,d | %.0f | %.1f | %.2f | %s |%n", label, n, bytesPerRound / n, n / seconds,
                bytesPerRound / 1e6 / seconds, cpuMs, toFile ? "file (buffered, deleted after)" : "discarded (counting stream)");
    }

    private long run(List<Path> files, int n, boolean toFile) throws IOException {
        long written = 0;
        Path target = tmp.resolve("out.dcm");
        for (int i = 0; i < n; i++) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(files.get(i % files.size())), 64 * 1024);
                 OutputStream out = toFile ? new BufferedOutputStream(Files.newOutputStream(target), 64 * 1024)
                         : OutputStream.nullOutputStream()) {
                written += deidentifier.deidentify(in, keys, out).bytesWritten();
            }
        }
        Files.deleteIfExists(target);
        return written;
    }

    private static List<Path> ctInstances(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(1);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            DicomFile sample = DicomFile.read(Peers.sample("CT_small.dcm"));
            Attributes ds = new Attributes();
            ds.addAll(sample.dataset());
            ds.setString(Tag.SOPInstanceUID, VR.UI, "1.2.826.0.1.3680043.10.4711.77." + i);
            ds.setInt(Tag.Rows, VR.US, 512);
            ds.setInt(Tag.Columns, VR.US, 512);
            byte[] px = new byte[512 * 512 * 2];
            random.nextBytes(px);
            ds.setBytes(Tag.PixelData, VR.OW, px);
            Path p = dir.resolve(i + ".dcm");
            DicomFile.of(ds, UID.ExplicitVRLittleEndian).write(p);
            files.add(p);
        }
        return files;
    }

    private static Path multiFrame(Path file, int frames) throws IOException {
        DicomFile sample = DicomFile.read(Peers.sample("CT_small.dcm"));
        Attributes ds = new Attributes();
        ds.addAll(sample.dataset());
        ds.setInt(Tag.Rows, VR.US, 512);
        ds.setInt(Tag.Columns, VR.US, 512);
        ds.setString(Tag.NumberOfFrames, VR.IS, Integer.toString(frames));
        Path px = file.resolveSibling("large-pixels.bin");
        byte[] frame = new byte[512 * 512 * 2];
        new Random(2).nextBytes(frame);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(px), 1 << 20)) {
            for (int f = 0; f < frames; f++) {
                out.write(frame);
            }
        }
        ds.put(Tag.PixelData, VR.OW, new BulkData(px, 0, (long) frame.length * frames, 0));
        DicomFile.of(ds, UID.ExplicitVRLittleEndian).write(file);
        Files.delete(px);
        return file;
    }

    /** Keys as registry.ai's PlatformPseudonyms makes them: HMAC-SHA256 with the platform's key. */
    private record HmacKeys(byte[] secret) implements DeidentificationKeys {
        @Override
        public String patientPseudonym() {
            return "BENCH-PSEUDONYM";
        }

        @Override
        public int dateShiftDays() {
            return -123;
        }

        @Override
        public String uid(String originalUid) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                byte[] h = mac.doFinal(originalUid.getBytes(StandardCharsets.US_ASCII));
                return "2.25." + new BigInteger(1, Arrays.copyOf(h, 16));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static String cpuModel() {
        try (Stream<String> s = Files.lines(Path.of("/proc/cpuinfo"))) {
            return s.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceAll(".*:\\s*", ""))
                    .orElse("unknown CPU");
        } catch (Exception e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }
}
