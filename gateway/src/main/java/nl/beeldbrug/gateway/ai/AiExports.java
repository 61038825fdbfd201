package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.ai.delivery.ExportStore;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The bulk exports' files and their consent: where an export's study ZIPs live, and {@link #live} — the export's
 * studies whose patients' AI consent permits the platform now. A study whose consent no longer permits it is
 * withdrawn on the spot (its file deleted, the row kept as withdrawn so that it is never written again), so that a
 * revoked patient is counted nowhere, listed in no manifest and downloadable from nowhere.
 */
public final class AiExports {

    private final ExportStore store;
    private final ReleaseGuard guard;
    private final Path root;

    public AiExports(ExportStore store, ReleaseGuard guard, Path dataDir) {
        this.store = store;
        this.guard = guard;
        this.root = dataDir.resolve("exports");
    }

    public ExportStore store() {
        return store;
    }

    /** The directory of an export's files. */
    public Path dir(UUID exportId) {
        return root.resolve(exportId.toString());
    }

    /** The ZIP of one study of an export. */
    public Path file(UUID exportId, String pseudoStudyUid) {
        return dir(exportId).resolve(pseudoStudyUid + ".zip");
    }

    /** The export when it is this platform's. */
    public Optional<ExportStore.Export> of(AiPlatform platform, UUID exportId) {
        return store.export(exportId).filter(e -> e.platform().equals(platform.ura()));
    }

    /**
     * The export's studies that are not withdrawn and whose consent permits release to {@code context} now (decided
     * study by study, before anything is counted); the denied ones are withdrawn — the whole patient, files deleted.
     */
    public List<ExportStore.Study> live(UUID exportId, RequestContext context, ReleaseLog log) {
        List<ExportStore.Study> open = new ArrayList<>(store.studies(exportId).stream().filter(s -> !s.withdrawn()).toList());
        List<ExportStore.Study> permitted = guard.permitted(context, open,
                s -> guard.metadata(s.bsn(), s.studyUid(), DataClass.IMAGING_STUDY, s.holderUra()), log);
        Set<String> denied = new HashSet<>();
        open.stream().filter(s -> !permitted.contains(s)).forEach(s -> denied.add(s.bsn()));
        for (String bsn : denied) {
            withdraw(exportId, bsn);
        }
        return permitted.stream().filter(s -> !denied.contains(s.bsn())).toList();
    }

    /** Whether the study's consent permits release to {@code context} now. */
    public boolean permits(RequestContext context, ExportStore.Study s, ReleaseLog log) {
        return guard.permits(context, guard.metadata(s.bsn(), s.studyUid(), DataClass.IMAGING_STUDY, s.holderUra()), log);
    }

    /** Withdraws the patient from the export: every study of his, files deleted. */
    public void withdraw(UUID exportId, String bsn) {
        for (ExportStore.Study s : store.withdraw(exportId, bsn)) {
            delete(exportId, s.pseudoStudyUid());
        }
    }

    void delete(UUID exportId, String pseudoStudyUid) {
        try {
            Files.deleteIfExists(file(exportId, pseudoStudyUid));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete a withdrawn export file", e);
        }
    }
}
