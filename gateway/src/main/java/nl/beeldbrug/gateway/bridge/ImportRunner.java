package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.registry.bridge.imports.ImportJob;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One attempt at an import job: list what the source holds of the study and what the target already has
 * (C-FIND/QIDO at instance level), fetch only the missing instances series by series, store them into the target
 * in batches, report progress after each batch, and check the target at the end. Instances are never all in
 * memory or on disk at once: at most one batch waits in the spool directory.
 */
final class ImportRunner {

    /** A failure that another attempt will not cure (unknown study, target or source). */
    static final class PermanentFailure extends Exception {
        PermanentFailure(String message) {
            super(message);
        }
    }

    /** Receives progress: total, done (present in the target), skipped (present before); false = stop (job lost). */
    interface Progress {
        boolean report(int total, int done, int skipped);
    }

    private final StudyLocator locator;
    private final Archives archives;
    private final BridgeProperties bridge;
    private final Path spoolDir;
    private final int batchSize;

    ImportRunner(StudyLocator locator, Archives archives, BridgeProperties bridge, Path spoolDir, int batchSize) {
        this.locator = locator;
        this.archives = archives;
        this.bridge = bridge;
        this.spoolDir = spoolDir;
        this.batchSize = batchSize;
    }

    /** Runs the attempt; returns normally when every instance of the source is in the target. */
    void run(ImportJob job, Progress progress) throws IOException, PermanentFailure {
        String studyUid = job.studyInstanceUid();
        ImagingStudySummary study = locator.study(studyUid)
                .orElseThrow(() -> new PermanentFailure("study not registered"));
        BridgeProperties.Source sourceConfig = locator.sourceOf(study)
                .orElseThrow(() -> new PermanentFailure("no connected archive holds the study"));
        BridgeProperties.Source targetConfig = bridge.source(job.target())
                .orElseThrow(() -> new PermanentFailure("unknown target " + job.target()));
        if (sourceConfig.id().equals(targetConfig.id())) {
            throw new PermanentFailure("the target is the archive that holds the study");
        }
        Archive source = archives.of(sourceConfig).orElseThrow(() -> new PermanentFailure("source not reachable by any protocol"));
        Archive target = archives.of(targetConfig).orElseThrow(() -> new PermanentFailure("target not reachable by any protocol"));

        List<Archive.InstanceRef> wanted = source.instances(studyUid);
        if (wanted.isEmpty()) {
            throw new IOException("the source archive holds no instances of the study");
        }
        Set<String> present = sops(target.instances(studyUid));
        Map<String, Set<String>> missingBySeries = new LinkedHashMap<>();
        int skipped = 0;
        for (Archive.InstanceRef i : wanted) {
            if (present.contains(i.sopInstanceUid())) {
                skipped++;
            } else {
                missingBySeries.computeIfAbsent(i.seriesUid(), s -> new LinkedHashSet<>()).add(i.sopInstanceUid());
            }
        }
        int total = wanted.size();
        Batch batch = new Batch(target, Files.createDirectories(spoolDir.resolve("import-" + job.id())), total, skipped, progress);
        try {
            if (!progress.report(total, skipped, skipped)) {
                return;
            }
            for (Map.Entry<String, Set<String>> series : missingBySeries.entrySet()) {
                int inSeries = (int) wanted.stream().filter(i -> i.seriesUid().equals(series.getKey())).count();
                Set<String> only = series.getValue().size() == inSeries ? null : new LinkedHashSet<>(series.getValue());
                source.retrieve(new Archive.Scope(studyUid, series.getKey(), null, only), in -> {
                    Path f = Files.createTempFile(batch.dir, "i", ".dcm");
                    try (OutputStream out = Files.newOutputStream(f)) {
                        in.transferTo(out);
                    }
                    String sop = DicomFile.read(f).dataset().getString(Tag.SOPInstanceUID);
                    if (sop == null || !series.getValue().remove(sop)) {
                        Files.deleteIfExists(f); // not asked for, or a second copy
                        return;
                    }
                    batch.add(f);
                });
                batch.flush();
                if (batch.stopped) {
                    return;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            batch.clear();
        }
        Set<String> after = sops(target.instances(studyUid));
        long lacking = wanted.stream().filter(i -> !after.contains(i.sopInstanceUid())).count();
        if (lacking > 0) {
            throw new IOException(lacking + " of " + total + " instances not in the target after storing");
        }
        progress.report(total, total, skipped);
    }

    private static Set<String> sops(List<Archive.InstanceRef> refs) {
        Set<String> s = new LinkedHashSet<>();
        refs.forEach(r -> s.add(r.sopInstanceUid()));
        return s;
    }

    /** Instances waiting to be stored into the target; stored when {@code batchSize} are there. */
    private final class Batch {
        final Archive target;
        final Path dir;
        final int total;
        final int skipped;
        final Progress progress;
        final List<Path> files = new ArrayList<>();
        int done;
        boolean stopped;

        Batch(Archive target, Path dir, int total, int skipped, Progress progress) throws IOException {
            this.target = target;
            this.dir = dir;
            this.total = total;
            this.skipped = skipped;
            this.progress = progress;
            this.done = skipped;
            clear();
        }

        void add(Path f) throws IOException {
            files.add(f);
            if (files.size() >= batchSize) {
                flush();
            }
        }

        void flush() throws IOException {
            if (files.isEmpty() || stopped) {
                return;
            }
            Set<String> refused = target.store(List.copyOf(files));
            if (!refused.isEmpty()) {
                throw new IOException("the target refused " + refused.size() + " instance(s)");
            }
            done += files.size();
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            files.clear();
            if (!progress.report(total, done, skipped)) {
                stopped = true;
                throw new IOException("the job was taken over by another worker");
            }
        }

        void clear() throws IOException {
            files.clear();
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
