package nl.beeldbrug.registry.ai;

import static nl.beeldbrug.registry.ai.ValidationGate.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.beeldbrug.registry.consent.ConsentDecisionEngine;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.consent.ConsentPolicy;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentService;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.imaging.ManifestContentReader;
import nl.beeldbrug.registry.imaging.ManifestContents;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.priors.ExamNormaliser;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.SampleMetadata;
import nl.beeldbrug.registry.testing.TestDatabase;
import nl.beeldbrug.registry.xds.DocumentRegistryService;
import nl.beeldbrug.registry.xds.XdsStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.DocumentEntry;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.ReferenceId;

/** Criteria, consent first (the real decision engine), then the gate; the outcome stored. */
@ExtendWith(RegistryDatabaseExtension.class)
class CohortSelectorTest {

    private static final Ura PLATFORM = Ura.of("90000001");
    private static final Ura OTHER_PLATFORM = Ura.of("90000002");
    private static final Ura HOLDER = Ura.of("00001234"); // SampleMetadata's author institution
    private static final Bsn CONSENTING = SampleMetadata.BSN;
    private static final Bsn REFUSING = SampleMetadata.OTHER_BSN;
    private static final Bsn OTHER_PLATFORMS_ONLY = SampleMetadata.THIRD_BSN;
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    private final TestDatabase db;
    private final DocumentRegistryService registry;
    private final CohortStore store;
    private final CohortSelector selector;
    private final Map<Bsn, List<ConsentRecord>> consents = new HashMap<>();
    private final ConsentService consent;
    private final Map<String, List<InstanceHeader>> archive = new HashMap<>();
    private final PlatformPseudonyms pseudonyms = new PlatformPseudonyms(PlatformKey.of(new byte[32]));

    CohortSelectorTest(TestDatabase db) {
        this.db = db;
        this.registry = new DocumentRegistryService(db.dataSource(), new XdsStore(), new PatientIndex(), Clock.systemUTC());
        this.store = new CohortStore(db.dataSource());
        this.selector = new CohortSelector(new CohortCandidates(db.dataSource()), store, ValidationGate.standard(),
                ExamNormaliser.standard());
        this.consent = new ConsentService(new ConsentDecisionEngine(ConsentPolicy.defaults()),
                bsn -> consents.getOrDefault(bsn, List.of()), null);
    }

    @BeforeEach
    void patientsAndConsents() {
        for (Bsn bsn : List.of(CONSENTING, REFUSING, OTHER_PLATFORMS_ONLY)) {
            db.addPatient(bsn);
        }
        consents.put(CONSENTING, List.of(new ConsentRecord("c1", CONSENTING, ConsentStatus.ACTIVE, NOW.minusSeconds(3600),
                List.of(Provision.permit().organisationType(OrganisationType.AI_PLATFORM).purposes(PurposeOfUse.AI).build()))));
        consents.put(REFUSING, List.of(new ConsentRecord("c2", REFUSING, ConsentStatus.ACTIVE, NOW.minusSeconds(3600),
                List.of(Provision.permit().purposes(PurposeOfUse.TREAT).build()))));
        consents.put(OTHER_PLATFORMS_ONLY, List.of(new ConsentRecord("c3", OTHER_PLATFORMS_ONLY, ConsentStatus.ACTIVE,
                NOW.minusSeconds(3600), List.of(Provision.permit().organisation(OTHER_PLATFORM).purposes(PurposeOfUse.AI).build()))));
    }

    private CohortSelector.ConsentFilter consentFor(Ura platform) {
        RequestContext context = new RequestContext(platform, OrganisationType.AI_PLATFORM, null, "svc", PurposeOfUse.AI, NOW);
        return candidates -> consent.permitted(context, candidates, c -> new ResourceMetadata(Bsn.of(c.bsn()), c.studyUid(),
                DataClass.IMAGING_STUDY, c.holder() == null ? HOLDER : c.holder(), OrganisationType.HOSPITAL));
    }

    /** Registers a CT chest (or the given body site) study with a manifest of one series of two instances; the archive holds them. */
    private String study(Bsn bsn, String uid, int daysAgo, String bodySite) {
        SampleMetadata sample = SampleMetadata.forPatient(bsn);
        DocumentEntry kos = sample.kos(uid);
        kos.getReferenceIdList().removeIf(r -> ReferenceId.ID_TYPE_CODE_UNIQUE_ID.equals(r.getIdTypeCode()));
        kos.getReferenceIdList().add(0, new ReferenceId(uid, null, ReferenceId.ID_TYPE_STUDY_INSTANCE_ID));
        if (bodySite != null) {
            kos.getEventCodeList().removeIf(c -> SampleMetadata.SNOMED.equals(c.getSchemeName()));
            kos.getEventCodeList().add(SampleMetadata.code(bodySite, "site", SampleMetadata.SNOMED));
        }
        Instant started = SampleMetadata.STUDY_START.toInstant().minusSeconds(86_400L * daysAgo);
        kos.setServiceStartTime(SampleMetadata.time(started.atZone(ZoneId.of("UTC"))));
        registry.register(sample.register(kos));
        manifest(kos, uid + ".1", 2);
        String date = LocalDate.ofInstant(started, ZoneId.of("Europe/Amsterdam")).format(java.time.format.DateTimeFormatter.BASIC_ISO_DATE);
        archive.put(uid, List.of(header(bsn, uid, 1, date), header(bsn, uid, 2, date)));
        return uid;
    }

    private void manifest(DocumentEntry kos, String series, int instances) {
        Database.inTransaction(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into document_content (repository_unique_id,"
                    + " document_unique_id, mime_type, hash, size, content, series_uids, series_instances) values (?,?,?,?,?,?,?,?)")) {
                ps.setString(1, kos.getRepositoryUniqueId());
                ps.setString(2, kos.getUniqueId());
                ps.setString(3, "application/dicom");
                ps.setString(4, "0");
                ps.setLong(5, 1);
                ps.setBytes(6, new byte[] {0});
                ps.setArray(7, c.createArrayOf("text", new Object[] {series}));
                ps.setArray(8, c.createArrayOf("integer", new Object[] {instances}));
                return ps.executeUpdate();
            }
        });
    }

    private static InstanceHeader header(Bsn bsn, String study, int n, String date) {
        Map<Integer, String> v = new HashMap<>();
        v.put(SOP_CLASS_UID, "1.2.840.10008.5.1.4.1.1.2");
        v.put(SOP_INSTANCE_UID, study + ".1." + n);
        v.put(STUDY_INSTANCE_UID, study);
        v.put(SERIES_INSTANCE_UID, study + ".1");
        v.put(PATIENT_ID, bsn.value());
        v.put(ISSUER_OF_PATIENT_ID, Bsn.OID);
        v.put(MODALITY, "CT");
        v.put(BODY_PART_EXAMINED, "CHEST");
        v.put(STUDY_DATE, date);
        v.put(ROWS, "8");
        v.put(COLUMNS, "8");
        v.put(BITS_ALLOCATED, "16");
        v.put(SAMPLES_PER_PIXEL, "1");
        v.put(PHOTOMETRIC_INTERPRETATION, "MONOCHROME2");
        return new InstanceHeader(v, true);
    }

    private StudyEvidence evidence() {
        return uid -> archive.getOrDefault(uid, List.of());
    }

    private CohortSelector.Selection select(CohortCriteria criteria) {
        return selector.select(PLATFORM, pseudonyms, criteria, consentFor(PLATFORM), evidence(), NOW);
    }

    private static CohortCriteria all(int max) {
        return new CohortCriteria(Set.of(), null, null, null, Set.of(), max);
    }

    @Test
    void onlyPermittedPatientsAreConsideredAndDeniedOnesLeaveNoTrace() {
        study(CONSENTING, "1.9.1", 1, null);
        study(REFUSING, "1.9.2", 2, null);
        study(OTHER_PLATFORMS_ONLY, "1.9.3", 3, null);
        String broken = study(CONSENTING, "1.9.4", 4, null);
        archive.put(broken, archive.get(broken).subList(0, 1)); // one instance missing
        String refusedBroken = study(REFUSING, "1.9.5", 5, null);
        archive.put(refusedBroken, List.of());

        CohortSelector.Selection selection = select(all(10));

        assertThat(selection.included()).extracting(i -> i.member().studyUid()).containsExactly("1.9.1");
        CohortMember member = selection.included().get(0).member();
        assertThat(member.pseudoStudyUid()).isEqualTo(pseudonyms.uid("1.9.1"));
        assertThat(member.patientPseudonym()).isEqualTo(pseudonyms.patientPseudonym(CONSENTING.value()));
        assertThat(member.holder()).isEqualTo(HOLDER);
        assertThat(selection.exclusions()).extracting(CohortExclusion::studyUid).containsExactly("1.9.4");
        assertThat(selection.exclusions().get(0).reason().code()).isEqualTo(INCOMPLETE);
        java.util.UUID id = selection.cohort().id();
        assertThat(store.members(id)).containsExactly(member);
        assertThat(store.exclusions(id)).extracting(CohortExclusion::studyUid).containsExactly("1.9.4");
        String stored = db.queryForString("select string_agg(study_uid || coalesce(patient_bsn, ''), ',') from ai_cohort_study");
        assertThat(stored).doesNotContain("1.9.2").doesNotContain("1.9.3").doesNotContain("1.9.5")
                .doesNotContain(REFUSING.value()).doesNotContain(OTHER_PLATFORMS_ONLY.value());
    }

    @Test
    void theOtherPlatformSeesItsOwnConsentingPatient() {
        study(CONSENTING, "1.9.1", 1, null);
        study(OTHER_PLATFORMS_ONLY, "1.9.3", 3, null);
        CohortSelector.Selection selection = selector.select(OTHER_PLATFORM,
                new PlatformPseudonyms(PlatformKey.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                        20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32})),
                all(10), consentFor(OTHER_PLATFORM), evidence(), NOW);
        assertThat(selection.included()).extracting(i -> i.member().studyUid()).containsExactly("1.9.1", "1.9.3");
        assertThat(selection.included().get(0).member().pseudoStudyUid()).isNotEqualTo(pseudonyms.uid("1.9.1"));
    }

    @Test
    void criteriaNarrowNewestFirstAndMaxCountsIncludedOnly() {
        study(CONSENTING, "2.1", 1, null);              // chest
        study(CONSENTING, "2.2", 2, "72696002");         // knee
        study(CONSENTING, "2.3", 3, "69536005");         // head
        String broken = study(CONSENTING, "2.4", 400, "72696002");
        archive.put(broken, List.of());
        study(CONSENTING, "2.5", 500, "72696002");

        assertThat(select(all(2)).included()).extracting(i -> i.member().studyUid()).containsExactly("2.1", "2.2");
        CohortSelector.Selection lowerLimb = select(new CohortCriteria(Set.of("CT"), "lower-limb", null, null, Set.of(HOLDER), 5));
        assertThat(lowerLimb.included()).extracting(i -> i.member().studyUid()).containsExactly("2.2", "2.5");
        assertThat(lowerLimb.exclusions()).extracting(CohortExclusion::studyUid).containsExactly("2.4");
        CohortSelector.Selection oneKnee = select(new CohortCriteria(Set.of(), "knee", null, null, Set.of(), 1));
        assertThat(oneKnee.included()).extracting(i -> i.member().studyUid()).containsExactly("2.2");
        LocalDate day = LocalDate.ofInstant(SampleMetadata.STUDY_START.toInstant(), ZoneId.of("Europe/Amsterdam"));
        assertThat(select(new CohortCriteria(Set.of(), null, day.minusDays(3), day.minusDays(2), Set.of(), 9)).included())
                .extracting(i -> i.member().studyUid()).containsExactly("2.2", "2.3");
        assertThat(select(new CohortCriteria(Set.of("MR"), null, null, null, Set.of(), 9)).included()).isEmpty();
        assertThat(select(new CohortCriteria(Set.of(), null, null, null, Set.of(Ura.of("99999999")), 9)).included()).isEmpty();
        assertThatThrownBy(() -> select(new CohortCriteria(Set.of(), "elbow-of-nothing", null, null, Set.of(), 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Mostly excluded candidates: the gate stops at its limit of examined studies and says so. */
    @Test
    void theGateExaminesAtMostItsLimitAndSaysSo() {
        for (int i = 1; i <= 3; i++) {
            archive.put(study(CONSENTING, "4." + i, i, null), List.of());   // newest three: nothing in the archive
        }
        study(CONSENTING, "4.9", 9, null);                                  // the only valid one, oldest
        CohortSelector narrow = new CohortSelector(new CohortCandidates(db.dataSource()), store, ValidationGate.standard(),
                ExamNormaliser.standard(), 1, 2);
        CohortSelector.Selection stopped = narrow.select(PLATFORM, pseudonyms, all(1), consentFor(PLATFORM), evidence(), NOW);
        assertThat(stopped.included()).isEmpty();
        assertThat(stopped.exclusions()).extracting(CohortExclusion::studyUid).containsExactly("4.1", "4.2");
        assertThat(stopped.examined()).isEqualTo(2);
        assertThat(stopped.stoppedEarly()).isTrue();

        CohortSelector.Selection whole = select(all(1));                    // default limit: max(4 × 1, 20)
        assertThat(whole.included()).extracting(i -> i.member().studyUid()).containsExactly("4.9");
        assertThat(whole.examined()).isEqualTo(4);
        assertThat(whole.stoppedEarly()).isFalse();
    }

    @Test
    void aDeprecatedManifestIsReportedRejected() {
        String uid = study(CONSENTING, "3.1", 1, null);
        Database.inTransaction(db.dataSource(), c -> {
            try (PreparedStatement ps = c.prepareStatement("update registry_object set status = 'Deprecated' where study_instance_uid = ?")) {
                ps.setString(1, uid);
                return ps.executeUpdate();
            }
        });
        CohortSelector.Selection selection = select(all(5));
        assertThat(selection.included()).isEmpty();
        assertThat(selection.exclusions()).extracting(x -> x.reason().code()).containsExactly(REJECTED);
    }

    @Test
    void theStoredManifestIsReadForItsInstanceUidsElseTheRegisteredCountsStand() {
        study(CONSENTING, "4.1", 1, null);
        ManifestContentReader reader = (bytes, studyUid) -> Optional.of(new ManifestContents(List.of(
                ManifestContents.Series.of(studyUid + ".1", Set.of(studyUid + ".1.1", studyUid + ".1.9")))));
        ManifestContents read = new CohortCandidates(db.dataSource(), reader).page(all(5), 0, 5).get(0).manifest();
        assertThat(read.instancesKnown()).isTrue();
        assertThat(read.series().get(0).sopInstanceUids()).containsExactlyInAnyOrder("4.1.1.1", "4.1.1.9");
        ManifestContents counted = new CohortCandidates(db.dataSource(), (bytes, studyUid) -> Optional.empty())
                .page(all(5), 0, 5).get(0).manifest();
        assertThat(counted.instancesKnown()).isFalse();
        assertThat(counted.instanceCount()).isEqualTo(2);

        CohortSelector byUid = new CohortSelector(new CohortCandidates(db.dataSource(), reader), store,
                ValidationGate.standard(), ExamNormaliser.standard());
        CohortSelector.Selection selection = byUid.select(PLATFORM, pseudonyms, all(5), consentFor(PLATFORM), evidence(), NOW);
        assertThat(selection.exclusions()).extracting(x -> x.reason().code()).containsExactly(INCOMPLETE); // .1.2 held, .1.9 referenced
        assertThat(select(all(5)).included()).hasSize(1); // by count the same archive passes
    }
}
