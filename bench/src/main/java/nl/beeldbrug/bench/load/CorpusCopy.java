package nl.beeldbrug.bench.load;

import nl.beeldbrug.bench.corpus.Corpus;
import nl.beeldbrug.bench.corpus.EntryUuids;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.patient.Bsn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
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
    private final Corpus corpus;
    private final Registration registration;
    private final int threads;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong entries = new AtomicLong();

    CorpusCopy(BulkLoadCommand.Connector db, Corpus corpus, Registration registration, int threads) {
        this.db = db;
        this.corpus = corpus;
        this.registration = registration;
        this.threads = threads;
    }

    void run() throws Exception {
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        List<Connection> connections = new ArrayList<>();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            CopyStream patients = stream(connections, "patient", "bsn");
            CopyStream objects = stream(connections, "registry_object", "entry_uuid, object_type, unique_id, logical_id, version,"
                    + " patient_bsn, status, entry_type, source_patient_id, hash, size, repository_unique_id, metadata");
            CopyStream associations = stream(connections, "association",
                    "entry_uuid, association_type, source_uuid, target_uuid, status, metadata");
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
            try (Progress ignored = new Progress("DocumentEntries", corpus.documentEntries(), entries::get,
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
            public void object(Registration.ObjectRow r) {
                new CopyText(objects).field(r.entryUuid()).field(r.objectType()).field(r.uniqueId()).field(r.logicalId())
                        .field(r.version()).field(r.patientBsn()).field(r.status()).field(r.entryType())
                        .field(r.sourcePatientId()).field(r.hash()).field(r.size()).field(r.repositoryUniqueId())
                        .field(r.metadata()).endRow();
            }

            @Override
            public void association(Registration.AssociationRow r) {
                new CopyText(associations).field(r.entryUuid()).field(r.associationType()).field(r.sourceUuid())
                        .field(r.targetUuid()).field(r.status()).field(r.metadata()).endRow();
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
                    Corpus.PatientStudies patient = corpus.patient(p, bsns, counts);
                    new CopyText(patients).field(patient.bsn().value()).endRow();
                    EntryUuids uuids = corpus.uuidSource(p);
                    for (SyntheticStudies.Study study : patient.studies()) {
                        registration.register(study, uuids, rows);
                        batchEntries += 2;
                    }
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
