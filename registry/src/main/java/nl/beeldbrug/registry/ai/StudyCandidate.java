package nl.beeldbrug.registry.ai;

import java.time.Instant;
import java.util.List;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.imaging.ManifestContents;

/**
 * A registered study that matched a cohort's criteria, as the registry knows it: what the validation gate compares the
 * archive's headers with.
 *
 * @param bsn        the registry's patient (nine digits as registered; the gate checks the elfproef)
 * @param holder     the data holder (URA of the manifest's author institution), or null when unknown
 * @param modalities the registered modality codes
 * @param bodySites  the registered body site codes (SNOMED CT)
 * @param started    the registered study start (serviceStartTime), or null
 * @param manifest   the series and instance counts of the (newest Approved) KOS manifest, or null when unknown
 * @param rejected   true when the study has no Approved manifest any more, only Deprecated ones (IOCM rejection)
 */
public record StudyCandidate(String studyUid, String bsn, Ura holder, List<String> modalities, List<String> bodySites,
                             Instant started, ManifestContents manifest, boolean rejected) {

    public StudyCandidate {
        modalities = List.copyOf(modalities);
        bodySites = List.copyOf(bodySites);
    }
}
