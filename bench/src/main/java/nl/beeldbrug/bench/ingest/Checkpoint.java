package nl.beeldbrug.bench.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Which patients the gateway has acknowledged: a patient counts once every one of its studies was
 * answered Success. Patients are sent in order but answered out of order (concurrency), so the file
 * keeps the first patient NOT yet acknowledged after a contiguous acknowledged run; a rerun continues
 * there (patients after it that were acknowledged are sent again, which the gateway answers as the
 * identical resubmissions they are). Written atomically (temporary file + rename).
 */
public final class Checkpoint {

    private final Path file;
    private final int start;
    private int next;
    private final Map<Integer, Integer> pending = new HashMap<>();
    private final java.util.BitSet done = new java.util.BitSet();

    private Checkpoint(Path file, int start) {
        this.file = file;
        this.start = start;
        this.next = start;
    }

    /** The checkpoint in {@code file} (absent: start at {@code from}); never before {@code from}. */
    public static Checkpoint open(Path file, int from) {
        int next = from;
        if (file != null && Files.exists(file)) {
            Properties p = new Properties();
            try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            next = Math.max(from, Integer.parseInt(p.getProperty("next_patient", Integer.toString(from)).trim()));
        }
        return new Checkpoint(file, next);
    }

    /** The first patient to send. */
    public synchronized int start() {
        return start;
    }

    /** The first patient not acknowledged after the contiguous acknowledged run from {@link #start()}. */
    public synchronized int next() {
        return next;
    }

    /** Patient {@code patient} has {@code studies} studies in flight (call before the first is sent). */
    public synchronized void expect(int patient, int studies) {
        pending.put(patient, studies);
    }

    /** One study of {@code patient} answered Success; returns true when that moved the checkpoint. */
    public synchronized boolean acknowledge(int patient) {
        Integer left = pending.get(patient);
        if (left == null) {
            throw new IllegalStateException("patient " + patient + " was not expected");
        }
        if (left > 1) {
            pending.put(patient, left - 1);
            return false;
        }
        pending.remove(patient);
        done.set(patient - start);
        int before = next;
        while (done.get(next - start)) {
            next++;
        }
        return next != before;
    }

    /** Writes {@code next_patient} (atomically); no-op without a file. */
    public synchronized void save() {
        if (file == null) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, "next_patient=" + next + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
