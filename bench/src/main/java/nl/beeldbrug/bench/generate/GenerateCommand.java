package nl.beeldbrug.bench.generate;

import nl.beeldbrug.bench.corpus.national.DicomHeaders;
import nl.beeldbrug.bench.corpus.national.FhirBundles;
import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.bench.load.Progress;
import nl.beeldbrug.registry.patient.Bsn;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code generate}: writes the national corpus ({@link NationalCorpus}) to a directory, as NATIONAL-CORPUS.md
 * describes: {@code corpus.properties}, FHIR transaction bundles per chunk of patients, DICOM header files for the
 * first {@code --dicom-patients} patients. Resumable: every chunk file is written atomically and listed in
 * {@code progress/<output>.done}; a re-run skips listed chunks and writes the others byte for byte as a single run
 * would. A re-run with other corpus parameters on the same directory is refused (exit 2).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate the national corpus (FHIR bundles for the peer, DICOM headers for Orthanc) into a directory.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Output directory (created; a re-run continues it).")
    Path out;

    @Option(names = "--seed", defaultValue = "20261129")
    long seed;

    @Option(names = "--patients", description = "Patients (default: studies / mean studies).")
    Integer patients;

    @Option(names = "--studies", description = "Studies in all (default: patients x mean studies).")
    Integer studies;

    @Option(names = "--mean-studies", defaultValue = "5", description = "Mean studies per patient when only one of --patients/--studies is given (default: ${DEFAULT-VALUE}).")
    double meanStudies;

    @Option(names = "--now", defaultValue = "2026-11-01T00:00:00Z", description = "Reference time; studies lie in the --years before it.")
    ZonedDateTime now;

    @Option(names = "--years", defaultValue = "10")
    int years;

    @Option(names = "--report-share", defaultValue = "0.85", description = "Share of studies with a report (default: ${DEFAULT-VALUE}).")
    double reportShare;

    @Option(names = "--outputs", defaultValue = "fhir", split = ",",
            description = "fhir, dicom (xds: not written — the ITI-41 sender and `load` render XDS-I from the corpus itself).")
    List<String> outputs;

    @Option(names = "--chunk-patients", defaultValue = "200", description = "Patients per chunk file (default: ${DEFAULT-VALUE}).")
    int chunkPatients;

    @Option(names = "--dicom-patients", defaultValue = "100", description = "DICOM output: the first K patients (default: ${DEFAULT-VALUE}).")
    int dicomPatients;

    @Option(names = "--threads", description = "Generator threads (default: available processors).")
    Integer threads;

    @Option(names = "--max-chunks", description = "Stop after writing this many chunks in this run (a later run continues).")
    Integer maxChunks;

    /** One output's chunk. */
    private record Chunk(String output, int number, int from, int to) {
    }

    @Override
    public Integer call() throws Exception {
        if (patients == null && studies == null) {
            System.err.println("give --patients or --studies (or both)");
            return 2;
        }
        int p = patients != null ? patients : (int) Math.max(1, Math.round(studies / meanStudies));
        int s = studies != null ? studies : (int) Math.round(p * meanStudies);
        NationalCorpus corpus = new NationalCorpus(seed, p, s, now, years, reportShare);
        Set<String> wanted = new LinkedHashSet<>();
        for (String o : outputs) {
            switch (o.trim()) {
                case "fhir", "dicom" -> wanted.add(o.trim());
                case "xds" -> System.out.println("xds: not written to disk; ITI-41 senders and `load --national` render"
                        + " the XDS-I metadata from the corpus (NationalCorpus.patient)");
                default -> {
                    System.err.println("unknown output: " + o);
                    return 2;
                }
            }
        }
        Files.createDirectories(out.resolve("progress"));
        Map<String, String> identity = CorpusProperties.of(corpus, chunkPatients);
        Path propertiesFile = out.resolve(CorpusProperties.FILE);
        if (Files.exists(propertiesFile)) {
            Map<String, String> existing = CorpusProperties.read(propertiesFile);
            if (!existing.equals(identity)) {
                System.err.println(out + " holds another corpus (" + CorpusProperties.FILE + " differs: "
                        + existing + "); choose another --out or the same parameters");
                return 2;
            }
        } else {
            atomicWrite(propertiesFile, CorpusProperties.text(identity).getBytes(StandardCharsets.UTF_8));
        }
        Path organisations = out.resolve(ORGANISATIONS);
        if (!Files.exists(organisations)) {
            atomicWrite(organisations, organisationsYaml().getBytes(StandardCharsets.UTF_8));
        }
        return generate(corpus, wanted);
    }

    /** The gateway's organisation directory for the corpus' sites (hospital / zdc), for its consent decisions. */
    static final String ORGANISATIONS = "gateway-organisations.yml";

    /**
     * {@code beeldbrug.consent.organisations} for the 230 sites, to pass to the gateway with
     * {@code --spring.config.additional-location=file:DIR/gateway-organisations.yml}.
     */
    static String organisationsYaml() {
        StringBuilder b = new StringBuilder("# The national corpus' sites as the gateway's organisation directory (generated).\n"
                + "beeldbrug:\n  consent:\n    organisations:\n");
        for (var site : nl.beeldbrug.bench.corpus.national.Sites.ALL) {
            b.append("      - ura: \"").append(site.ura()).append("\"\n        type: ").append(site.hospital() ? "hospital" : "zdc")
                    .append("\n        name: \"").append(site.name().replace("\"", "'")).append("\"\n");
        }
        return b.toString();
    }

    private int generate(NationalCorpus corpus, Set<String> wanted) throws Exception {
        long started = System.nanoTime();
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        List<Chunk> todo = new ArrayList<>();
        long todoStudies = 0;
        int skipped = 0;
        for (String output : wanted) {
            Set<String> done = done(output);
            int last = "dicom".equals(output) ? Math.min(dicomPatients, corpus.patients()) : corpus.patients();
            if ("fhir".equals(output)) {
                Files.createDirectories(out.resolve("fhir"));
                Path orgs = out.resolve("fhir/organizations.json");
                if (!Files.exists(orgs)) {
                    atomicWrite(orgs, new FhirBundles().organizations().getBytes(StandardCharsets.UTF_8));
                }
            }
            for (int c = 0, from = 0; from < last; c++, from += chunkPatients) {
                Chunk chunk = new Chunk(output, c, from, Math.min(last, from + chunkPatients));
                if (done.contains(name(chunk))) {
                    skipped++;
                } else if (maxChunks == null || todo.size() < maxChunks) {
                    todo.add(chunk);
                    for (int q = chunk.from(); q < chunk.to(); q++) {
                        todoStudies += counts[q];
                    }
                }
            }
        }
        System.out.printf("National corpus: %,d patients, %,d studies, seed %d, %d years before %s; outputs %s;"
                        + " %d chunks to write, %d already done%n", corpus.patients(), corpus.studies(), corpus.seed(),
                corpus.years(), corpus.now(), wanted, todo.size(), skipped);
        AtomicLong studiesDone = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        int poolSize = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, poolSize));
        ThreadLocal<FhirBundles> fhir = ThreadLocal.withInitial(FhirBundles::new);
        try (Progress ignored = new Progress("studies", Math.max(1, todoStudies), studiesDone::get,
                () -> String.format("%,d MB", bytes.get() >> 20), Duration.ofSeconds(2), System.console() != null)) {
            List<Future<?>> futures = new ArrayList<>();
            for (Chunk chunk : todo) {
                futures.add(pool.submit(() -> {
                    long n = write(chunk, corpus, bsns, counts, fhir.get());
                    bytes.addAndGet(n);
                    markDone(chunk);
                    for (int q = chunk.from(); q < chunk.to(); q++) {
                        studiesDone.addAndGet(counts[q]);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int remaining = 0;
        for (String output : wanted) {
            int last = "dicom".equals(output) ? Math.min(dicomPatients, corpus.patients()) : corpus.patients();
            remaining += (last + chunkPatients - 1) / chunkPatients - done(output).size();
        }
        System.out.printf("Done: %d chunks, %,d studies, %,d MB in %s: %,.0f studies/s; %s%n", todo.size(), studiesDone.get(),
                bytes.get() >> 20, Progress.format(Duration.ofNanos(System.nanoTime() - started)), studiesDone.get() / seconds,
                remaining == 0 ? "the corpus is complete in " + out : remaining + " chunks remain (run again to continue)");
        return 0;
    }

    private static String name(Chunk chunk) {
        return "fhir".equals(chunk.output()) ? String.format("bundle-%06d.json", chunk.number())
                : String.format("chunk-%06d", chunk.number());
    }

    private long write(Chunk chunk, NationalCorpus corpus, List<Bsn> bsns, int[] counts, FhirBundles fhir) throws IOException {
        if ("fhir".equals(chunk.output())) {
            byte[] json = fhir.chunk(corpus, bsns, counts, chunk.from(), chunk.to()).getBytes(StandardCharsets.UTF_8);
            atomicWrite(out.resolve("fhir").resolve(name(chunk)), json);
            return json.length;
        }
        Path dir = out.resolve("dicom").resolve(name(chunk));
        Path tmp = out.resolve("dicom").resolve(name(chunk) + ".tmp");
        deleteTree(tmp);
        deleteTree(dir);
        Files.createDirectories(tmp);
        long size = 0;
        for (int p = chunk.from(); p < chunk.to(); p++) {
            for (Path f : DicomHeaders.write(tmp, p, bsns.get(p), corpus.person(p), corpus.studiesOf(p, counts[p]))) {
                size += Files.size(f);
            }
        }
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return size;
    }

    private Set<String> done(String output) throws IOException {
        Path file = out.resolve("progress").resolve(output + ".done");
        return Files.exists(file) ? new HashSet<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : Set.of();
    }

    private synchronized void markDone(Chunk chunk) throws IOException {
        Files.writeString(out.resolve("progress").resolve(chunk.output() + ".done"), name(chunk) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void atomicWrite(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
