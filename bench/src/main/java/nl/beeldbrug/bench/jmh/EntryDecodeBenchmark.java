package nl.beeldbrug.bench.jmh;

import nl.beeldbrug.bench.corpus.national.NationalCorpus;
import nl.beeldbrug.registry.demo.SyntheticStudies;
import nl.beeldbrug.registry.imaging.EntryFacts;
import nl.beeldbrug.registry.imaging.EntryFactsReader;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.xds.MetadataJson;
import nl.beeldbrug.registry.xds.PackedMetadata;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a study summary costs per stored DocumentEntry: the registry's short way ({@link EntryFactsReader}) against
 * IPF's model of the whole entry (what the index did before), on the stored form of national-corpus entries
 * (KOS manifests and reports, as {@code bench load} writes them).
 * <pre>java -cp bench/target/beeldbrug-bench.jar org.openjdk.jmh.Main EntryDecode</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class EntryDecodeBenchmark {

    private byte[][] stored;
    private String[] uuids;
    private int next;

    @Setup
    public void storeEntries() {
        NationalCorpus corpus = NationalCorpus.of(20261130L, 400, 2000, ZonedDateTime.of(2026, 11, 1, 0, 0, 0, 0, ZoneOffset.UTC));
        List<Bsn> bsns = corpus.patientBsns();
        int[] counts = corpus.studiesPerPatient();
        List<DocumentEntry> entries = new ArrayList<>();
        for (int p = 0; p < corpus.patients(); p++) {
            for (SyntheticStudies.Study study : corpus.patient(p, bsns, counts).studies()) {
                entries.add(study.manifest());
                if (study.report() != null) {
                    entries.add(study.report());
                }
            }
        }
        stored = new byte[entries.size()][];
        uuids = new String[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            stored[i] = MetadataJson.writePacked(entries.get(i));
            uuids[i] = "urn:uuid:" + i;
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == stored.length ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public EntryFacts entryFactsReader() {
        int i = nextIndex();
        return EntryFactsReader.read(stored[i], uuids[i]);
    }

    /** Inflating the stored form alone: the part both ways share. */
    @Benchmark
    public byte[] unpackOnly() {
        return PackedMetadata.unpack(stored[nextIndex()]);
    }

    @Benchmark
    public EntryFacts ipfModel() {
        int i = nextIndex();
        DocumentEntry entry = MetadataJson.readPacked(stored[i], DocumentEntry.class);
        entry.setEntryUuid(uuids[i]);
        return EntryFacts.of(entry);
    }
}
