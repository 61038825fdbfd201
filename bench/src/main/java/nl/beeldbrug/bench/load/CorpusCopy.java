package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.StudyCorpus;
import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.EntryUuids;
import nl.beeldbrug.registry.patient.Bsn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Generates the corpus on several threads and streams it into four COPY streams (patient,
 * registry_object, association, document_content), each a transaction on its own connection.
 * The content is deterministic; the physical row order depends on thread scheduling.
 */
final class CorpusCopy {

    private static final int BATCH_PATIENTS = 32;
    private static final int FLUSH_CHARS = 512 * 1024;

    private final BulkLoadCommand.Connector db;
    private final StudyCorpus corpus;
    private final Registration registration;
    private final Layout layout;
    private final int threads;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong entries = new AtomicLong();

    CorpusCopy(BulkLoadCommand.Connector db, StudyCorpus corpus, Registration registration, Layout layout, int threads) {
        this.db = db;
        this.corpus = corpus;
        this.registration = registration;
        this.layout = layout;
        this.threads = threads;
    }

    void run() throws Exception {
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            CopyStream patients = stream(connections, "patient", "bsn");
            Map<String, List<String>> columns = registryColumns(bsns, counts);
            CopyStream objects = stream(connections, "registry_object", String.join(", ", columns.get("registry_object")));
            CopyStream associations = stream(connections, "association", String.join(", ", columns.get("association")));
            CopyStream contents = stream(connections, "document_content",
                    "repository_unique_id, document_unique_id, mime_type, hash, size, content");
            List<CopyStream> streams = List.of(patients, objects, associations, contents);
            List<Future<?>> copies = new ArrayList<>();
            for (CopyStream s : streams) {
                copies.add(pool.submit(guarded(s)));
            }
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> generators = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                generators.add(pool.submit(guarded(() -> generate(next, bsns, counts, patients, objects, associations, contents))));
            }
            try (Progress ignored = new Progress("DocumentEntries", layout.rows(corpus).documentEntries(), entries::get,
                    () -> streams.stream().map(s -> s.table() + ":" + s.phase()).collect(Collectors.joining(" ")),
                    Duration.ofSeconds(10))) {
                for (Future<?> g : generators) {
                    g.get();
                }
                failIfFailed();
                for (CopyStream s : streams) {
                    s.finish();
                }
                System.out.println("  all rows sent; the server finishes COPY and rebuilds the secondary indexes ...");
                for (Future<?> c : copies) {
                    c.get();
                }
            }
            failIfFailed();
            System.out.printf("  COPY done: %s%n", streams.stream().map(s -> String.format("%s %,d rows", s.table(), s.rows()))
                    .collect(Collectors.joining(", ")));
        } catch (Exception e) {
            failure.compareAndSet(null, e);
            throw e;
        } finally {
            pool.shutdownNow();
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    /** The columns the registry's inserts write, found by registering patient 0's first study. */
    private Map<String, List<String>> registryColumns(List<Bsn> bsns, int[] counts) {
        Map<String, List<String>> columns = new HashMap<>();
        registration.register(corpus.patient(0, bsns, counts).studies().get(0), corpus.uuidSource(0), new Registration.Rows() {
            @Override
            public void insert(RecordingConnection.Insert insert) {
                List<String> previous = columns.putIfAbsent(insert.table(), insert.columns());
                if (previous != null && !previous.equals(insert.columns())) {
                    throw new IllegalStateException("the registry writes " + insert.table() + " with varying columns");
                }
            }

            @Override
            public void content(Registration.ContentRow row) {
            }
        });
        if (!columns.keySet().equals(Set.of("registry_object", "association"))) {
            throw new IllegalStateException("unexpected tables written by the registry: " + columns.keySet());
        }
        return columns;
    }

    /** The columns of the registry's inserts, as a fingerprint of the row format the corpus was loaded with. */
    static String rowFormat(StudyCorpus corpus, Registration registration, Layout layout) {
        CorpusCopy probe = new CorpusCopy(null, corpus, registration, layout, 1);
        return probe.registryColumns(corpus.patientBsns(), corpus.studiesPerPatient()).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "(" + String.join(",", e.getValue()) + ")")
                .collect(Collectors.joining(" ")) + (layout.lean() ? " " + layout.describe() : "")
                + ("small".equals(corpus.kind()) ? "" : " " + corpus.kind() + " corpus");
    }

    private CopyStream stream(List<Connection> connections, String table, String columns) throws Exception {
        Connection c = db.open();
        connections.add(c);
        return new CopyStream(c, table, columns, () -> failure.get() != null);
    }

    private Runnable guarded(Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                throw t;
            }
        };
    }

    private void failIfFailed() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("load failed: " + t.getMessage(), t);
        }
    }

    private void generate(AtomicInteger next, List<Bsn> bsns, int[] counts, CopyStream patientStream, CopyStream objectStream,
                          CopyStream associationStream, CopyStream contentStream) {
        StringBuilder patients = new StringBuilder();
        StringBuilder objects = new StringBuilder(FLUSH_CHARS + 64 * 1024);
        StringBuilder associations = new StringBuilder();
        StringBuilder contents = new StringBuilder();
        Registration.Rows rows = new Registration.Rows() {
            @Override
            public void insert(RecordingConnection.Insert insert) {
                StringBuilder target = switch (insert.table()) {
                    case "registry_object" -> objects;
                    case "association" -> associations;
                    default -> throw new IllegalStateException("unexpected insert into " + insert.table());
                };
                RecordingConnection.appendRow(new CopyText(target), insert.values());
            }

            @Override
            public void content(Registration.ContentRow r) {
                new CopyText(contents).field(r.repositoryUniqueId()).field(r.documentUniqueId()).field(r.mimeType())
                        .field(r.hash()).field(r.size()).bytea(r.content()).endRow();
            }
        };
        try {
            while (failure.get() == null) {
                int first = next.getAndAdd(BATCH_PATIENTS);
                if (first >= corpus.patients()) {
                    break;
                }
                int last = Math.min(corpus.patients(), first + BATCH_PATIENTS);
                long batchEntries = 0;
                for (int p = first; p < last; p++) {
                    StudyCorpus.PatientStudies patient = corpus.patient(p, bsns, counts);
                    new CopyText(patients).field(patient.bsn().value()).endRow();
                    EntryUuids uuids = corpus.uuidSource(p);
                    batchEntries += registration.register(patient, uuids, layout, rows).size();
                    if (objects.length() >= FLUSH_CHARS) {
                        flush(objects, objectStream);
                        flush(associations, associationStream);
                        flush(contents, contentStream);
                    }
                }
                entries.addAndGet(batchEntries);
            }
            flush(objects, objectStream);
            flush(associations, associationStream);
            flush(contents, contentStream);
            flush(patients, patientStream);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generator interrupted", e);
        }
    }

    private static void flush(StringBuilder rows, CopyStream stream) throws InterruptedException {
        if (rows.length() > 0) {
            stream.offer(rows.toString().getBytes(StandardCharsets.UTF_8));
            rows.setLength(0);
        }
    }
}
