package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;

import java.util.Optional;

/**
 * Which connected archive holds a registered study: the source whose URA is the study's author institution
 * (the performer of its manifest), else the configured default source; otherwise none (not available).
 */
public final class StudyLocator {

    private final ImagingStudyIndex index;
    private final BridgeProperties bridge;
    private final String defaultSource;

    public StudyLocator(ImagingStudyIndex index, BridgeProperties bridge, String defaultSource) {
        this.index = index;
        this.bridge = bridge;
        this.defaultSource = defaultSource;
    }

    /** A registered study and the source it is fetched from. */
    public record Located(ImagingStudySummary study, BridgeProperties.Source source) {
        /** The URA of the data holder as registered (null when unknown). */
        public String holderUra() {
            return study.performer() == null ? null : study.performer().ura();
        }
    }

    /** The registered study (empty: unknown here). */
    public Optional<ImagingStudySummary> study(String studyUid) {
        return index.read(studyUid);
    }

    /** The source that holds a registered study, if any. */
    public Optional<BridgeProperties.Source> sourceOf(ImagingStudySummary study) {
        String ura = study.performer() == null ? null : study.performer().ura();
        Optional<BridgeProperties.Source> byUra = ura == null ? Optional.empty() : bridge.sourceOfUra(ura);
        if (byUra.isPresent()) {
            return byUra;
        }
        return defaultSource == null || defaultSource.isBlank() ? Optional.empty() : bridge.source(defaultSource);
    }
}
