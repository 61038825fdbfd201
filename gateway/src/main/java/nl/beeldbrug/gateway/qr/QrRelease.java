package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.StudyLocator;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.StudyEntry;
import nl.beeldbrug.registry.imaging.StudySearch;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What of the registry a DICOM peer may see: only the images (KOS manifests; reports are not Q/R objects), and of
 * those only what the consent permits — decided for every candidate before anything is matched, counted or sent,
 * so that a denied study is absent for the peer.
 */
final class QrRelease {

    private final ImagingStudyIndex index;
    private final ReleaseGuard guard;
    private final StudyLocator locator;
    private final Archives archives;

    QrRelease(ImagingStudyIndex index, ReleaseGuard guard, StudyLocator locator, Archives archives) {
        this.index = index;
        this.guard = guard;
        this.locator = locator;
        this.archives = archives;
    }

    /** A study that may be released, and the archive it is fetched from. */
    record Released(ImagingStudySummary study, Archive archive) {
    }

    /** The released studies matching {@code search}, newest first, at most {@code max}. */
    List<ImagingStudySummary> studies(StudySearch search, int max, RequestContext context, ReleaseLog log) {
        List<StudyEntry> entries = index.entries(search.withAvailable(null));
        Set<String> withheld = withheld(entries, context, log);
        if (withheld.size() == entries.size()) {
            return List.of();
        }
        return index.search(search.withAvailable(true), 0, max, withheld).studies();
    }

    /** The study with this UID when it may be released and its archive is connected; else empty. */
    Optional<Released> study(String studyUid, RequestContext context, ReleaseLog log) {
        List<StudyEntry> entries = index.entriesOfStudy(studyUid);
        Set<String> withheld = withheld(entries, context, log);
        if (withheld.size() == entries.size()) {
            return Optional.empty();
        }
        Optional<ImagingStudySummary> study = index.read(studyUid, withheld).filter(ImagingStudySummary::available);
        return study.flatMap(s -> locator.sourceOf(s).flatMap(archives::of).map(a -> new Released(s, a)));
    }

    /** The entryUUIDs withheld: every report, and each manifest the consent denies (each decided once). */
    private Set<String> withheld(List<StudyEntry> entries, RequestContext context, ReleaseLog log) {
        List<ResourceMetadata> manifests = entries.stream().filter(StudyEntry::manifest).map(this::metadata).distinct().toList();
        Set<ResourceMetadata> allowed = manifests.isEmpty() ? Set.of()
                : new HashSet<>(guard.permitted(context, manifests, m -> m, log));
        Set<String> withheld = new HashSet<>();
        for (StudyEntry e : entries) {
            if (!e.manifest() || !allowed.contains(metadata(e))) {
                withheld.add(e.entryUuid());
            }
        }
        return withheld;
    }

    private ResourceMetadata metadata(StudyEntry entry) {
        return guard.metadata(entry.patientBsn(), entry.studyKey(), DataClass.IMAGING_STUDY, entry.authorUra());
    }
}
