package nl.beeldbrug.registry.bridge.imports;

import java.time.Instant;

/**
 * One import job: a registered study to be copied from the archive that holds it into the PACS {@code target}.
 *
 * @param state            queued (waiting for its first or next attempt), running, done, failed
 * @param instancesTotal   the instances of the study in the source archive; null until counted
 * @param instancesDone    of those, present in the target (stored by this job or already there)
 * @param instancesSkipped of those, already present before this job stored anything
 * @param reason           why it failed, or why its last attempt failed (null when none did)
 */
public record ImportJob(long id, String studyInstanceUid, String target, State state, String requestedBy, int attempts,
                        Instant nextAttemptAt, Integer instancesTotal, int instancesDone, int instancesSkipped,
                        String reason, Instant createdAt, Instant updatedAt, Instant finishedAt) {

    public enum State {
        QUEUED, RUNNING, DONE, FAILED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static State of(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
