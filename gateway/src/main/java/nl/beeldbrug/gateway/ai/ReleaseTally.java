package nl.beeldbrug.gateway.ai;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one AI release request released, for its one audit record: the patients and studies sent, the pseudonymous
 * study UIDs asked for (recorded when nothing was released), and the failure, if any. Shared by the de-identified
 * DICOMweb and the export endpoints, which add how they answer an error.
 */
class ReleaseTally {
    final Set<String> patients = new LinkedHashSet<>();
    final Set<String> studies = new LinkedHashSet<>();
    final Set<String> asked = new LinkedHashSet<>();
    String failure;

    void released(String bsn, String studyUid) {
        patients.add(bsn);
        studies.add(studyUid);
    }

    void asked(String pseudoStudyUid) {
        asked.add(pseudoStudyUid);
    }

    void failed(String description) {
        failure = description;
    }

    /** The studies on record: those released, else those asked for. */
    Set<String> studiesOnRecord() {
        return studies.isEmpty() ? asked : studies;
    }
}
