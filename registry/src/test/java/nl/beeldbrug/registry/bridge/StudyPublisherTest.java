package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.DicomPatient.OtherPatientId;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.StudySearch;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.MutableClock;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static nl.beeldbrug.registry.bridge.StudyPublisher.Outcome.DEPRECATED;
import static nl.beeldbrug.registry.bridge.StudyPublisher.Outcome.PUBLISHED;
import static nl.beeldbrug.registry.bridge.StudyPublisher.Outcome.REPLACED;
import static nl.beeldbrug.registry.bridge.StudyPublisher.Outcome.REVIEW;
import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(RegistryDatabaseExtension.class)
class StudyPublisherTest {

    static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    static final String MR = "1.2.840.10008.5.1.4.1.1.4";
    static final BridgeSource ZDC = new BridgeSource("zdc", "34000011", "ZDC Beeldvorming Utrecht", true, "2.16.528.1.1007.3.3.34000011.2",
            "BEELDBRUG", null, Duration.ofSeconds(30));

    private final TestDatabase db;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final BridgeStore store = new BridgeStore();
    private final List<ArchiveStudy> encoded = new ArrayList<>();
    private final StudyPublisher publisher;
    private final ImagingStudyIndex index;

    StudyPublisherTest(TestDatabase db) {
        this.db = db;
        DocumentRegistryService registry = new DocumentRegistryService(db.dataSource(), new XdsStore(), new PatientIndex(), clock);
        DocumentRepositoryService repository = new DocumentRepositoryService(db.dataSource(), registry, "2.16.528.1.1007.3.3.99999999.1.1", 1 << 20);
        ManifestEncoder encoder = (source, study) -> {
            encoded.add(study);
            String uid = XdsiSubmissionMapper.newUid();
            return new ManifestEncoder.EncodedManifest(uid, ("KOS " + uid).getBytes(StandardCharsets.UTF_8));
        };
        ReportContents reports = (source, study, report) -> Optional.of(new ReportContents.ReportContent(
                "%PDF-1.4 report".getBytes(StandardCharsets.UTF_8), "application/pdf"));
        publisher = new StudyPublisher(db.dataSource(), store, new HeaderIdentityResolver(), encoder, reports, repository,
                new PatientIndex(), new XdsStore(), clock);
        index = new ImagingStudyIndex(db.dataSource());
    }

    @BeforeEach
    void clean() {
        db.clean();
    }

    static ArchiveStudy study(String uid, String patientId, String issuer, List<ArchiveInstance> instances, Map<String, String> rejections) {
        return new ArchiveStudy(uid, new DicomPatient("LOCAL-7", "2.16.528.1.1007.3.3.34000011.2",
                List.of(new OtherPatientId(patientId, issuer))), "Test^Anna", "19700101", "F", "ACC-1", "20260301", "093000",
                "CT thorax", null, instances, rejections);
    }

    static ArchiveInstance ct(String series, String sop) {
        return new ArchiveInstance(series, CT, sop, "CT", "CHEST");
    }

    private void observe(ArchiveStudy study, boolean complete) {
        Database.inTransaction(db.dataSource(), c -> store.observe(c, ZDC.id(), study, complete, clock.instant()));
    }

    @Test
    void aStableStudyIsPublishedOnceWithItsCodesThenReplacedWhenItGrows() {
        observe(study("1.2.3", "999990019", Bsn.OID, List.of(ct("1.2.3.1", "1.2.3.1.1"), ct("1.2.3.1", "1.2.3.1.2")), Map.of()), true);
        assertThat(publisher.publishDue(ZDC, 10)).isEmpty(); // not yet stable
        clock.advance(Duration.ofSeconds(31));
        assertThat(publisher.publishDue(ZDC, 10)).containsExactly(PUBLISHED);
        assertThat(publisher.publishDue(ZDC, 10)).isEmpty();

        ImagingStudySummary summary = index.read("1.2.3").orElseThrow();
        assertThat(summary.patientBsn()).isEqualTo("999990019");
        assertThat(summary.modalities()).extracting(CodedValue::code).containsExactly("CT");
        assertThat(summary.bodySites()).extracting(CodedValue::code).containsExactly("51185008");
        assertThat(summary.started()).isEqualTo(Instant.parse("2026-03-01T08:30:00Z"));
        assertThat(summary.performer()).isEqualTo(new ImagingStudySummary.Organisation("ZDC Beeldvorming Utrecht", "34000011"));
        assertThat(summary.accessions()).extracting(ImagingStudySummary.Accession::value).containsExactly("ACC-1");
        assertThat(summary.manifests()).hasSize(1);

        List<ArchiveInstance> grown = List.of(ct("1.2.3.1", "1.2.3.1.1"), ct("1.2.3.1", "1.2.3.1.2"),
                new ArchiveInstance("1.2.3.2", MR, "1.2.3.2.1", "MR", "CHEST"));
        observe(study("1.2.3", "999990019", Bsn.OID, grown, Map.of()), true);
        clock.advance(Duration.ofSeconds(31));
        assertThat(publisher.publishDue(ZDC, 10)).containsExactly(REPLACED);
        ImagingStudySummary after = index.read("1.2.3").orElseThrow();
        assertThat(after.manifests()).hasSize(1);
        assertThat(after.manifests().get(0).entryUuid()).isNotEqualTo(summary.manifests().get(0).entryUuid());
        assertThat(after.modalities()).extracting(CodedValue::code).containsExactly("CT", "MR");
        assertThat(index.search(StudySearch.forPatient("999990019"), 0, 10).total()).isEqualTo(1);
        assertThat(encoded.get(1).manifestInstances()).hasSize(3);
    }

    @Test
    void rejectingEveryInstanceDeprecatesTheManifest() {
        List<ArchiveInstance> instances = List.of(ct("1.5.1", "1.5.1.1"));
        observe(study("1.5", "999990019", Bsn.OID, instances, Map.of()), true);
        clock.advance(Duration.ofSeconds(31));
        assertThat(publisher.publishDue(ZDC, 10)).containsExactly(PUBLISHED);

        List<ArchiveInstance> withNote = List.of(ct("1.5.1", "1.5.1.1"), new ArchiveInstance("1.5.9", ArchiveInstance.KOS, "1.5.9.1", "KO", null));
        observe(study("1.5", "999990019", Bsn.OID, withNote, Map.of("1.5.1.1", "113001")), true);
        clock.advance(Duration.ofSeconds(31));
        assertThat(publisher.publishDue(ZDC, 10)).containsExactly(DEPRECATED);
        assertThat(index.read("1.5")).isEmpty();
        assertThat(db.queryForString("select string_agg(status, ',') from registry_object where object_type = 'DocumentEntry'"))
                .isEqualTo("Deprecated");
    }

    @Test
    void aReportIsASeparateDocumentOfTheSameStudy() {
        List<ArchiveInstance> instances = List.of(ct("1.6.1", "1.6.1.1"),
                new ArchiveInstance("1.6.2", ArchiveInstance.ENCAPSULATED_PDF, "1.6.2.1", "DOC", null));
        observe(study("1.6", "999990019", Bsn.OID, instances, Map.of()), true);
        clock.advance(Duration.ofSeconds(31));
        assertThat(publisher.publishDue(ZDC, 10)).containsExactly(PUBLISHED);
        ImagingStudySummary summary = index.read("1.6").orElseThrow();
        assertThat(summary.manifests()).hasSize(1);
        assertThat(summary.reports()).hasSize(1);
        assertThat(summary.reports().get(0).mimeType()).isEqualTo("application/pdf");
        assertThat(summary.modalities()).extracting(CodedValue::code).containsExactly("CT");
    }

    @Test
    void anInvalidOrMissingBsnGoesToTheReviewListAndIsNotRegistered() {
        observe(study("1.7", "999990018", Bsn.OID, List.of(ct("1.7.1", "1.7.1.1")), Map.of()), true);
        observe(study("1.8", "999990019", "1.2.3.4", List.of(ct("1.8.1", "1.8.1.1")), Map.of()), true);
        clock.advance(Duration.ofSeconds(31));
        assertThat(publisher.publishDue(ZDC, 10)).containsExactly(REVIEW, REVIEW);
        assertThat(publisher.publishDue(ZDC, 10)).isEmpty();
        List<BridgeStore.ReviewEntry> review = Database.read(db.dataSource(), c -> store.reviewList(c, null, 10));
        assertThat(review).extracting(BridgeStore.ReviewEntry::studyUid, BridgeStore.ReviewEntry::reason)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("1.7", "INVALID_BSN"),
                        org.assertj.core.groups.Tuple.tuple("1.8", "NO_BSN"));
        assertThat(db.count("registry_object")).isZero();

        // fixed at the source: the next observation publishes it and clears the review entry
        observe(study("1.7", "999990019", Bsn.OID, List.of(ct("1.7.1", "1.7.1.1")), Map.of()), true);
        clock.advance(Duration.ofSeconds(31));
        assertThat(publisher.publishDue(ZDC, 10)).containsExactly(PUBLISHED);
        List<BridgeStore.ReviewEntry> left = Database.read(db.dataSource(), c -> store.reviewList(c, null, 10));
        assertThat(left).hasSize(1);
    }

    @Test
    void pushedInstancesAccumulate() {
        observe(study("1.9", "999990019", Bsn.OID, List.of(ct("1.9.1", "1.9.1.1")), Map.of()), false);
        observe(study("1.9", "999990019", Bsn.OID, List.of(ct("1.9.1", "1.9.1.2")), Map.of()), false);
        int count = Database.read(db.dataSource(), c -> store.instanceCount(c, "zdc", "1.9"));
        assertThat(count).isEqualTo(2);
        ArchiveStudy loaded = Database.read(db.dataSource(), c -> store.load(c, "zdc", "1.9")).orElseThrow();
        assertThat(loaded.patient().otherPatientIds())
                .containsExactly(new OtherPatientId("999990019", Bsn.OID));
    }
}
