package nl.beeldbrug.gateway.ai;

import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.gateway.bridge.Archives;
import nl.beeldbrug.gateway.bridge.StudyLocator;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.ai.CohortMember;
import nl.beeldbrug.registry.ai.CohortStore;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What of a platform's cohorts may be released now: an INCLUDED member of one of its cohorts whose patient's consent
 * (purpose AI, this platform as requester) permits it at this moment, and the archive it is fetched from. Everything
 * else — unknown, another platform's, excluded, consent revoked, archive gone — is simply absent.
 */
public final class AiReleases {

    /** A study that may be released to the platform now. */
    public record Release(AiPlatform platform, CohortMember member, ImagingStudySummary study, Archive archive) {
        public AiKeys keys() {
            return new AiKeys(platform, member.bsn());
        }
    }

    private final CohortStore cohorts;
    private final PlatformMembers members;
    private final ReleaseGuard guard;
    private final StudyLocator locator;
    private final Archives archives;

    public AiReleases(CohortStore cohorts, PlatformMembers members, ReleaseGuard guard, StudyLocator locator, Archives archives) {
        this.cohorts = cohorts;
        this.members = members;
        this.guard = guard;
        this.locator = locator;
        this.archives = archives;
    }

    /** The study behind a platform's pseudonymous study UID, when it may be released now. */
    public Optional<Release> study(AiPlatform platform, RequestContext context, String pseudoStudyUid, ReleaseLog log) {
        Optional<CohortMember> member = cohorts.member(platform.ura(), pseudoStudyUid);
        if (member.isEmpty() || !guard.permits(context, metadata(member.get()), log)) {
            return Optional.empty();
        }
        return located(platform, member.get());
    }

    /** The platform's members whose consent permits release now, in order (decided before anything is counted). */
    public List<CohortMember> permitted(AiPlatform platform, RequestContext context, ReleaseLog log) {
        return guard.permitted(context, members.of(platform.ura()), this::metadata, log);
    }

    /** Whether the member's consent permits release now. */
    public boolean permits(RequestContext context, String bsn, String studyUid, String holderUra, ReleaseLog log) {
        return guard.permits(context, guard.metadata(bsn, studyUid, DataClass.IMAGING_STUDY, holderUra), log);
    }

    /** The registered study of a member (what QIDO-RS answers from; no archive is asked). */
    public Optional<ImagingStudySummary> summary(CohortMember member) {
        return locator.study(member.studyUid());
    }

    /** The registered study and its archive, without a consent check (the caller decided). */
    public Optional<Release> located(AiPlatform platform, CohortMember member) {
        Optional<ImagingStudySummary> study = locator.study(member.studyUid());
        if (study.isEmpty()) {
            return Optional.empty();
        }
        return locator.sourceOf(study.get()).flatMap(archives::of)
                .map(archive -> new Release(platform, member, study.get(), archive));
    }

    ResourceMetadata metadata(CohortMember member) {
        return guard.metadata(member.bsn(), member.studyUid(), DataClass.IMAGING_STUDY,
                member.holder() == null ? null : member.holder().value());
    }

    /**
     * The original scope of a pseudonymous series / instance of a released study: the study's instances are listed at
     * the archive and their UIDs mapped with the platform's key (no mapping table: the replacement is a keyed hash).
     */
    public static Optional<Archive.Scope> scope(Release release, String pseudoSeriesUid, String pseudoSopUid) throws IOException {
        String study = release.member().studyUid();
        if (pseudoSeriesUid == null) {
            return Optional.of(Archive.Scope.study(study));
        }
        AiKeys keys = release.keys();
        for (Archive.InstanceRef ref : release.archive().instances(study)) {
            if (!keys.uid(ref.seriesUid()).equals(pseudoSeriesUid)) {
                continue;
            }
            if (pseudoSopUid == null) {
                return Optional.of(Archive.Scope.of(study, ref.seriesUid(), null));
            }
            if (keys.uid(ref.sopInstanceUid()).equals(pseudoSopUid)) {
                return Optional.of(Archive.Scope.of(study, ref.seriesUid(), ref.sopInstanceUid()));
            }
        }
        return Optional.empty();
    }
}
