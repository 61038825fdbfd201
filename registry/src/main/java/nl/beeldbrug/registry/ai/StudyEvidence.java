package nl.beeldbrug.registry.ai;

import java.io.IOException;
import java.util.List;

/**
 * Port: what the source archive holds of a study, instance by instance (implemented by the gateway over the bridge's
 * connected archives). Empty when the archive holds nothing of it.
 */
public interface StudyEvidence {

    List<InstanceHeader> headers(String studyUid) throws IOException;

    /** The headers of a registered study; by default by its UID alone (an implementation may ask the holder's archive). */
    default List<InstanceHeader> headers(StudyCandidate study) throws IOException {
        return headers(study.studyUid());
    }

    /**
     * The connected archive's id (configuration) a study's headers come from, for the identity strategy of that source
     * (PIX, XREF); null when unknown.
     */
    default String sourceId(StudyCandidate study) {
        return null;
    }
}
