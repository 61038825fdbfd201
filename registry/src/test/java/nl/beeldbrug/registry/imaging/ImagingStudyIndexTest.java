package nl.beeldbrug.registry.imaging;

import nl.beeldbrug.registry.xds.PackedMetadata;

import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.imaging.ImagingStudyIndex.StudyPage;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Accession;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.CodedValue;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.Organisation;
import nl.beeldbrug.registry.imaging.ImagingStudySummary.StudyDocument;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.DocumentRepositoryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssociationType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RegisterDocumentSet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static nl.beeldbrug.registry.imaging.StudyAttributesTest.withStudyUid;
import static nl.beeldbrug.registry.testing.SampleMetadata.STUDY_START;
import static nl.beeldbrug.registry.testing.SampleMetadata.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RegistryDatabaseExtension.class)
class ImagingStudyIndexTest {

    private final TestDatabase db;
    private final DocumentRegistryService registry;
    private final ImagingStudyIndex index;
    private final SampleMetadata sample = SampleMetadata.forPatient(SampleMetadata.BSN);
    private final SampleMetadata other = SampleMetadata.forPatient(SampleMetadata.OTHER_BSN);

    ImagingStudyIndexTest(TestDatabase db) {
        this.db = db;
        this.registry = new DocumentRegistryService(db.dataSource(), new XdsStore(), new PatientIndex(), Clock.systemUTC());
        this.index = new ImagingStudyIndex(db.dataSource());
    }

    @BeforeEach
    void patients() {
        db.addPatient(sample.bsn());
        db.addPatient(other.bsn());
    }

    private DocumentEntry kos(SampleMetadata s, String uid, int daysAgo) {
        DocumentEntry kos = withStudyUid(s.kos(uid), uid);
        kos.setServiceStartTime(time(STUDY_START.minusDays(daysAgo)));
        return kos;
    }

    private DocumentEntry report(SampleMetadata s, String uid, int daysAgo) {
        DocumentEntry report = withStudyUid(s.report(uid), uid);
        report.setServiceStartTime(time(STUDY_START.minusDays(daysAgo).plusHours(2)));
        return report;
    }

    @Test
    void oneStudyOnceWithItsManifestsAndReportsNewestFirst() {
        registry.register(sample.register(kos(sample, "1.1", 10), report(sample, "1.1", 10)));
        registry.register(sample.register(report(sample, "1.1", 10))); // a second report, later
        registry.register(sample.register(kos(sample, "1.2", 1)));
        registry.register(other.register(kos(other, "9.9", 0)));

        StudyPage page = index.search(StudySearch.forPatient(sample.bsn().value()), 0, 10);

        assertThat(page.total()).isEqualTo(2);
        assertThat(page.studies()).extracting(ImagingStudySummary::studyInstanceUid).containsExactly("1.2", "1.1");
        ImagingStudySummary study = page.studies().get(1);
        assertThat(study.patientBsn()).isEqualTo(sample.bsn().value());
        assertThat(study.manifests()).hasSize(1);
        assertThat(study.reports()).hasSize(2);
        assertThat(study.available()).isTrue();
        assertThat(study.started()).isEqualTo(STUDY_START.minusDays(10).toInstant());
        assertThat(study.description()).isEqualTo("CT thorax");
        assertThat(study.performer()).isEqualTo(new Organisation("Ziekenhuis Beeldbrug", "00001234"));
        assertThat(study.modalities()).containsExactly(new CodedValue("CT", SampleMetadata.DCM, "Computed Tomography"));
        assertThat(study.bodySites()).containsExactly(new CodedValue("51185008", SampleMetadata.SNOMED, "Thorax"));
        assertThat(study.accessions()).extracting(Accession::issuerOid).containsExactly("2.16.528.1.1007.99.217.4");
        assertThat(study.repositoryUniqueId()).isEqualTo(SampleMetadata.REPOSITORY_UNIQUE_ID);
        assertThat(study.manifests()).extracting(StudyDocument::entryUuid).allMatch(u -> u.startsWith("urn:uuid:"));
    }

    @Test
    void filters() {
        DocumentEntry mr = kos(sample, "2.1", 5);
        mr.getEventCodeList().clear();
        mr.getEventCodeList().add(SampleMetadata.MODALITY_MR);
        mr.getEventCodeList().add(SampleMetadata.REGION_HEAD);
        registry.register(sample.register(mr));
        registry.register(sample.register(kos(sample, "2.2", 50)));
        registry.register(sample.register(report(sample, "2.3", 100))); // a report only: not yet available
        StudySearch all = StudySearch.forPatient(sample.bsn().value());

        assertThat(uids(all.withModalities(List.of("MR")))).containsExactly("2.1");
        assertThat(uids(all.withModalities(List.of("MR", "CT")))).containsExactly("2.1", "2.2", "2.3");
        assertThat(uids(all.withBodySites(List.of("51185008")))).containsExactly("2.2");
        assertThat(uids(all.withModalities(List.of("CT")).withBodySites(List.of("69536005")))).isEmpty();
        Instant sixtyDaysBefore = STUDY_START.minusDays(60).toInstant();
        assertThat(uids(all.withStarted(sixtyDaysBefore, null))).containsExactly("2.1", "2.2");
        assertThat(uids(all.withStarted(null, sixtyDaysBefore))).containsExactly("2.3");
        assertThat(uids(all.withStarted(STUDY_START.minusDays(50).toInstant(), STUDY_START.minusDays(5).toInstant())))
                .containsExactly("2.2");
        assertThat(uids(all.withAvailable(true))).containsExactly("2.1", "2.2");
        assertThat(uids(all.withAvailable(false))).containsExactly("2.3");
        String accession = mr.getReferenceIdList().stream().filter(r -> r.getIdTypeCode().endsWith("accession"))
                .findFirst().orElseThrow().getId();
        assertThat(uids(new StudySearch(null, List.of(), List.of(accession), List.of(), List.of(), null, null, null)))
                .containsExactly("2.1");
        assertThat(uids(new StudySearch(null, List.of(), List.of(StudyAttributes.accessionKey("2.16.528.1.1007.99.217.4", accession)),
                List.of(), List.of(), null, null, null))).containsExactly("2.1");
        assertThat(uids(new StudySearch(null, List.of(), List.of(StudyAttributes.accessionKey("1.2.3", accession)),
                List.of(), List.of(), null, null, null))).isEmpty();
        assertThat(uids(new StudySearch(null, List.of("2.2", "7.7"), List.of(), List.of(), List.of(), null, null, null)))
                .containsExactly("2.2");
    }

    @Test
    void pages() {
        for (int i = 0; i < 7; i++) {
            registry.register(sample.register(kos(sample, "3." + i, i)));
        }
        StudySearch all = StudySearch.forPatient(sample.bsn().value());
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < 7; offset += 3) {
            StudyPage page = index.search(all, offset, 3);
            assertThat(page.total()).isEqualTo(7);
            page.studies().forEach(s -> seen.add(s.studyInstanceUid()));
        }
        assertThat(seen).containsExactly("3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6");
        assertThat(index.search(all, 20, 3)).isEqualTo(new StudyPage(7, List.of()));
        assertThat(index.count(all)).isEqualTo(7);
    }

    @Test
    void deprecatedEntriesLeaveTheStudy() {
        DocumentEntry first = kos(sample, "4.1", 3);
        registry.register(sample.register(first));
        String firstUuid = first.getEntryUuid();
        DocumentEntry replacement = kos(sample, "4.1", 3);
        RegisterDocumentSet replace = sample.register(replacement);
        replace.getAssociations().add(sample.association(AssociationType.REPLACE, replacement.getEntryUuid(), firstUuid));
        registry.register(replace);

        ImagingStudySummary study = index.read("4.1").orElseThrow();

        assertThat(study.manifests()).extracting(StudyDocument::uniqueId).containsExactly(replacement.getUniqueId());
        assertThat(index.read("4.404")).isEmpty();
    }

    @Test
    void organisationsByUra() {
        registry.register(sample.register(kos(sample, "6.1", 1)));

        assertThat(index.organisation("00001234")).contains(new Organisation("Ziekenhuis Beeldbrug", "00001234"));
        assertThat(index.organisation("99999999")).isEmpty();
        assertThat(index.organisation("0000123\"4")).isEmpty();
    }

    @Test
    void aSearchNamesAPatientOrAStudy() {
        assertThatThrownBy(() -> index.search(new StudySearch(null, List.of(), List.of(), List.of("CT"), List.of(), null, null, null), 0, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void backfillOfV4FillsWhatRegistrationFills() throws IOException {
        registry.register(sample.register(kos(sample, "5.1", 3), report(sample, "5.1", 3)));
        DocumentEntry noStudy = sample.report("x"); // names no study (2013 uniqueId type)
        DocumentEntry twoIssuers = kos(sample, "5.2", 2);
        twoIssuers.getReferenceIdList().add(SampleMetadata.accessionReference("SECOND"));
        twoIssuers.getEventCodeList().add(SampleMetadata.MODALITY_MR);
        registry.register(sample.register(noStudy, twoIssuers));
        String columns = "select string_agg(concat_ws(' ; ', entry_uuid, study_instance_uid, accession_numbers::text, modalities::text,"
                + " body_sites::text, service_start::text, study_role), E'\\n' order by entry_uuid) from registry_object";
        String byRegistration = db.queryForString(columns);

        String backfill;
        try (InputStream in = getClass().getResourceAsStream("/db/migration/V4__study_columns_backfill.sql")) {
            backfill = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // V4 ran on jsonb metadata (V15 packed it): the rows as they were then, in a temporary table that shadows the
        // real one for this transaction
        String byBackfill = Database.inTransaction(db.dataSource(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute("create temporary table registry_object on commit drop as select * from public.registry_object");
                s.execute("alter table pg_temp.registry_object drop column metadata, add column metadata jsonb");
                try (ResultSet rs = s.executeQuery("select entry_uuid, metadata from public.registry_object");
                     PreparedStatement ps = c.prepareStatement("update pg_temp.registry_object set metadata = ?::jsonb where entry_uuid = ?")) {
                    while (rs.next()) {
                        ps.setString(1, new String(PackedMetadata.unpack(rs.getBytes(2)), StandardCharsets.UTF_8));
                        ps.setString(2, rs.getString(1));
                        ps.executeUpdate();
                    }
                }
                s.execute("update pg_temp.registry_object set study_instance_uid = null, accession_numbers = null, modalities = null,"
                        + " body_sites = null, service_start = null, study_role = null");
                s.execute(backfill);
                try (ResultSet rs = s.executeQuery(columns.replace("from registry_object", "from pg_temp.registry_object"))) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });

        assertThat(byBackfill).isEqualTo(byRegistration).contains("5.1", "5.2", "SECOND");
    }

    @Test
    void seriesAndInstancesOfTheManifestsWhenEveryManifestWasRead() {
        // the port sees each manifest's bytes: here a table from a manifest's bytes to what it references
        java.util.Map<String, ManifestContents> read = new java.util.HashMap<>();
        List<String> studiesAsked = new ArrayList<>();
        ManifestContentReader reader = (bytes, studyUid) -> {
            studiesAsked.add(studyUid);
            return java.util.Optional.ofNullable(read.get(new String(bytes, StandardCharsets.ISO_8859_1)));
        };
        DocumentRepositoryService repository = new DocumentRepositoryService(db.dataSource(), registry,
                SampleMetadata.REPOSITORY_UNIQUE_ID, 1 << 20, reader);
        DocumentEntry first = kos(sample, "7.1", 2);
        DocumentEntry second = kos(sample, "7.1", 2);
        DocumentEntry report = report(sample, "7.1", 2);
        read.put(new String(sample.contentOf(first), StandardCharsets.ISO_8859_1), new ManifestContents(List.of(
                new ManifestContents.Series("7.1.1", 3), new ManifestContents.Series("7.1.2", 2))));
        read.put(new String(sample.contentOf(second), StandardCharsets.ISO_8859_1), new ManifestContents(List.of(
                new ManifestContents.Series("7.1.2", 4), new ManifestContents.Series("7.1.3", 1))));
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), first, report));
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), second));
        DocumentEntry unread = kos(sample, "7.2", 1); // a manifest the reader cannot read
        repository.provideAndRegister(sample.provideAndRegister(sample.submissionSet(), unread));
        DocumentEntry throwing = kos(sample, "7.3", 1);
        new DocumentRepositoryService(db.dataSource(), registry, SampleMetadata.REPOSITORY_UNIQUE_ID, 1 << 20,
                (bytes, uid) -> {
                    throw new IllegalStateException("a broken reader");
                }).provideAndRegister(sample.provideAndRegister(sample.submissionSet(), throwing));
        registry.register(sample.register(kos(sample, "7.4", 1))); // ITI-42: no content at all

        ImagingStudySummary study = index.read("7.1").orElseThrow();

        assertThat(studiesAsked).containsExactly("7.1", "7.1", "7.2"); // manifests only, never the report
        assertThat(study.contents()).isNotNull();
        assertThat(study.contents().series()).extracting(ManifestContents.Series::uid)
                .containsExactlyInAnyOrder("7.1.1", "7.1.2", "7.1.3");
        assertThat(study.contents().seriesCount()).isEqualTo(3);
        assertThat(study.contents().instanceCount()).isEqualTo(3 + 4 + 1); // a series in two manifests counts once
        assertThat(index.read("7.2").orElseThrow().contents()).isNull();
        assertThat(index.read("7.3").orElseThrow().contents()).isNull();
        assertThat(index.read("7.4").orElseThrow().contents()).isNull();
        assertThat(index.search(StudySearch.forPatient(sample.bsn().value()), 0, 10).studies())
                .filteredOn(s -> s.studyInstanceUid().equals("7.1")).singleElement()
                .extracting(s -> s.contents().instanceCount()).isEqualTo(8);

        // one more manifest of 7.1 whose content is unknown makes the study's counts unknown
        registry.register(sample.register(kos(sample, "7.1", 2)));
        assertThat(index.read("7.1").orElseThrow().contents()).isNull();
    }

    private List<String> uids(StudySearch search) {
        return index.search(search, 0, 100).studies().stream().map(ImagingStudySummary::studyInstanceUid).toList();
    }

    static Instant utc(int year, int month, int day) {
        return java.time.LocalDate.of(year, month, day).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    @Test
    void withheldEntriesAreAsIfNeverRegistered() {
        registry.register(sample.register(kos(sample, "3.1", 1), report(sample, "3.1", 0)));
        registry.register(sample.register(report(sample, "3.2", 2)));
        registry.register(sample.register(kos(sample, "3.3", 3)));
        String patient = sample.bsn().value();

        List<StudyEntry> entries = index.entries(StudySearch.forPatient(patient).withAvailable(false));
        assertThat(entries).hasSize(4).allSatisfy(e -> {
            assertThat(e.patientBsn()).isEqualTo(patient);
            assertThat(e.authorUra()).isEqualTo("00001234");
        });
        assertThat(entries).filteredOn(StudyEntry::manifest).extracting(StudyEntry::studyInstanceUid)
                .containsExactlyInAnyOrder("3.1", "3.3");
        assertThat(index.entriesOfStudy("3.1")).hasSize(2);
        assertThat(index.documentsOf(patient)).hasSize(4);

        List<String> manifests = entries.stream().filter(StudyEntry::manifest).map(StudyEntry::entryUuid).toList();
        List<String> reports = entries.stream().filter(e -> !e.manifest()).map(StudyEntry::entryUuid).toList();
        // without its manifest 3.1 is registered only; 3.3 had nothing else and is gone
        StudyPage withoutImages = index.search(StudySearch.forPatient(patient), 0, 10, manifests);
        assertThat(withoutImages.total()).isEqualTo(2);
        assertThat(withoutImages.studies()).extracting(ImagingStudySummary::studyInstanceUid).containsExactly("3.1", "3.2");
        assertThat(withoutImages.studies()).allSatisfy(st -> assertThat(st.available()).isFalse());
        assertThat(index.count(StudySearch.forPatient(patient).withAvailable(false), manifests)).isEqualTo(2);
        // without the reports: 3.2 is gone, 3.1 keeps its manifest only, and its start is the manifest's
        StudyPage withoutReports = index.search(StudySearch.forPatient(patient), 0, 10, reports);
        assertThat(withoutReports.studies()).extracting(ImagingStudySummary::studyInstanceUid).containsExactly("3.1", "3.3");
        assertThat(withoutReports.studies().get(0).reports()).isEmpty();
        assertThat(withoutReports.studies().get(0).started()).isEqualTo(STUDY_START.minusDays(1).toInstant());
        assertThat(index.read("3.2", reports)).isEmpty();
        assertThat(index.read("3.1", manifests).orElseThrow().manifests()).isEmpty();
    }
}
