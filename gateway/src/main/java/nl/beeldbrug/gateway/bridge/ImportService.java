package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.bridge.imports.ImportJob;
import nl.beeldbrug.registry.bridge.imports.ImportJobStore;

import java.util.List;
import java.util.Optional;

/**
 * Import jobs as the API and (later) prefetch rules ask for them: request one, read one, list them. Plain: the
 * caller has decided that the study may go to the target (consent).
 */
public final class ImportService {

    private final ImportJobStore store;
    private final BridgeProperties bridge;

    public ImportService(ImportJobStore store, BridgeProperties bridge) {
        this.store = store;
        this.bridge = bridge;
    }

    /**
     * A queued job importing the study into {@code target} (a configured source id), or the open one for both.
     *
     * @throws IllegalArgumentException when no source {@code target} is configured
     */
    public ImportJob request(String studyInstanceUid, String target, String requestedBy) {
        if (bridge.source(target).isEmpty()) {
            throw new IllegalArgumentException("unknown target " + target);
        }
        return store.request(studyInstanceUid, target, requestedBy);
    }

    public Optional<ImportJob> job(long id) {
        return store.read(id);
    }

    public List<ImportJob> jobs(ImportJob.State state, int limit) {
        return store.list(state, limit);
    }
}
