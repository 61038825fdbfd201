package nl.beeldbrug.bench.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The checkpoint keeps the first patient after the contiguous acknowledged run; a rerun resumes there; the check judges a journal. */
class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void outOfOrderAcknowledgementsMoveTheCheckpointOnlyOverContiguousPatients() {
        Path file = dir.resolve("checkpoint.properties");
        Checkpoint c = Checkpoint.open(file, 10);
        assertThat(c.start()).isEqualTo(10);
        c.expect(10, 2);
        c.expect(11, 1);
        c.expect(12, 1);
        assertThat(c.acknowledge(11)).isFalse(); // 10 is still open
        assertThat(c.acknowledge(10)).isFalse(); // one of its two studies
        assertThat(c.next()).isEqualTo(10);
        assertThat(c.acknowledge(10)).isTrue();  // 10 and 11 done
        assertThat(c.next()).isEqualTo(12);
        c.save();

        Checkpoint resumed = Checkpoint.open(file, 10);
        assertThat(resumed.start()).isEqualTo(12);
        assertThat(Checkpoint.open(file, 20).start()).as("never before --from").isEqualTo(20);
        assertThat(Checkpoint.open(dir.resolve("absent"), 5).start()).isEqualTo(5);
        assertThat(Checkpoint.open(null, 7).start()).isEqualTo(7);
    }

    @Test
    void savingIsAtomicAndReadable() throws Exception {
        Path file = dir.resolve("cp");
        Checkpoint c = Checkpoint.open(file, 0);
        c.expect(0, 1);
        c.acknowledge(0);
        c.save();
        assertThat(Files.readString(file)).isEqualTo("next_patient=1\n");
        assertThat(dir.resolve("cp.tmp")).doesNotExist();
    }

    @Test
    void theCheckFindsLostAndHalfStoredStudies() {
        Map<IngestCheckCommand.Sent, Boolean> studies = IngestCheckCommand.read(List.of(
                "S 0 0 set0 man0 rep0", "A 0 0 set0 man0 rep0",       // acknowledged, whole
                "S 0 1 set1 man1 rep1", "A 0 1 set1 man1 rep1",       // acknowledged, lost
                "S 1 0 set2 man2 rep2",                               // unacknowledged, whole
                "S 1 1 set3 man3 rep3", "E 1 1 set3 man3 rep3",       // unacknowledged, absent
                "S 2 0 set4 man4 rep4",                               // unacknowledged, half
                "S 2 1 set5 man5 -", "A 2 1 set5 man5 -",             // acknowledged, no report, whole
                "A 3 0 set6 man6"));                                  // torn line: ignored
        Set<String> registered = Set.of("set0", "man0", "rep0", "set2", "man2", "rep2", "set4", "man4", "set5", "man5");
        Set<String> stored = Set.of("man0", "rep0", "man2", "rep2", "man4", "man5");
        IngestCheckCommand.Result r = IngestCheckCommand.judge(studies, registered, stored);
        assertThat(r.acknowledged()).isEqualTo(3);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.unacknowledged()).isEqualTo(3);
        assertThat(r.unacknowledgedStored()).isEqualTo(1);
        assertThat(r.unacknowledgedAbsent()).isEqualTo(1);
        assertThat(r.halfStored()).isEqualTo(1);
    }
}
