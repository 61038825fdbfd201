package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.imaging.ImagingStudySummary.StudyDocument;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;

import java.time.Clock;
import java.util.List;

import static nl.beeldbrug.registry.imaging.StudyAttributesTest.withStudyUid;
import static nl.beeldbrug.registry.testing.SampleMetadata.STUDY_START;
import static nl.beeldbrug.registry.testing.SampleMetadata.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RegistryDatabaseExtension.class)
class PatientTimelineTest {

    private final TestDatabase db;
    private final DocumentRegistryService registry;
    private final PatientTimeline timeline;
    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);
    private final SampleMetadata other = SampleMetadata.forPatient(SampleMetadata.OTHER_BSN);

    PatientTimelineTest(TestDatabase db) {
        this.db = db;
        this.registry = new DocumentRegistryService(db.dataSource(), new XdsStore(), new PatientIndex(), Clock.systemUTC());
        this.timeline = new PatientTimeline(new ImagingStudyIndex(db.dataSource()));
    }

    @BeforeEach
    void patients() {
        db.addPatient(sample.bsn());
        db.addPatient(other.bsn());
    }

    private static DocumentEntry dated(DocumentEntry entry, String uid, int daysAgo) {
        DocumentEntry e = withStudyUid(entry, uid);
        e.setServiceStartTime(time(STUDY_START.minusDays(daysAgo)));
        return e;
    }

    @Test
    void oneEntryPerStudyWithAllItsReportsNewestFirst() {
        DocumentEntry firstKos = dated(sample.kos("1.1"), "1.1", 30);
        DocumentEntry firstReport = dated(sample.report("1.1"), "1.1", 30);
        registry.register(sample.register(firstKos, firstReport));
        DocumentEntry secondKos = dated(sample.kos("1.1"), "1.1", 30);   // a second manifest (e.g. a later series)
        DocumentEntry addendum = dated(sample.report("1.1"), "1.1", 29); // an addendum, a day later
        registry.register(sample.register(secondKos, addendum));
        registry.register(sample.register(dated(sample.kos("1.2"), "1.2", 2)));        // newest, no report yet
        registry.register(sample.register(dated(sample.report("1.3"), "1.3", 400)));   // a report without images
        registry.register(sample.register(dated(sample.kos("1.0"), "1.0", 100)));
        // another patient: their own study, and one under a UID this patient also has (a source's error)
        registry.register(other.register(dated(other.kos("9.9"), "9.9", 1), dated(other.report("9.9"), "9.9", 1)));
        registry.register(other.register(dated(other.kos("1.1"), "1.1", 1), dated(other.report("1.1"), "1.1", 1)));

        List<PatientTimeline.Entry> entries = timeline.of(sample.bsn().value());

        assertThat(entries).extracting(e -> e.study().studyInstanceUid()).containsExactly("1.2", "1.1", "1.0", "1.3");
        PatientTimeline.Entry twiin = entries.get(1);
        assertThat(twiin.reports()).extracting(StudyDocument::entryUuid)
                .containsExactlyInAnyOrder(firstReport.getEntryUuid(), addendum.getEntryUuid());
        assertThat(twiin.manifests()).extracting(StudyDocument::entryUuid)
                .containsExactlyInAnyOrder(firstKos.getEntryUuid(), secondKos.getEntryUuid());
        assertThat(entries.get(0).reports()).isEmpty();
        assertThat(entries.get(3).reports()).hasSize(1);
        assertThat(entries.get(3).manifests()).isEmpty();
        assertThat(entries).allSatisfy(e -> assertThat(e.study().patientBsn()).isEqualTo(sample.bsn().value()));

        List<PatientTimeline.Entry> others = timeline.of(other.bsn().value());
        assertThat(others).extracting(e -> e.study().studyInstanceUid()).containsExactlyInAnyOrder("9.9", "1.1");
        assertThat(others).flatExtracting(PatientTimeline.Entry::reports).extracting(StudyDocument::entryUuid)
                .doesNotContain(firstReport.getEntryUuid(), addendum.getEntryUuid());
    }

    @Test
    void aPatientWithoutStudiesHasAnEmptyTimeline() {
        assertThat(timeline.of(sample.bsn().value())).isEmpty();
        assertThatThrownBy(() -> timeline.of(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
