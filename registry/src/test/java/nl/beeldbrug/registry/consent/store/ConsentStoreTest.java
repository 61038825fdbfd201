package nl.beeldbrug.registry.consent.store;

import nl.beeldbrug.registry.consent.ConsentDecisionEngine;
import nl.beeldbrug.registry.consent.ConsentPolicy;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentService;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.DecisionRule;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Period;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.ResourceMetadata;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(RegistryDatabaseExtension.class)
class ConsentStoreTest {

    private static final Bsn PATIENT = Bsn.of("999990019");
    private static final Bsn OTHER = Bsn.of("999990020");
    private static final Ura HOSPITAL = Ura.of("90000002");
    private static final Ura AI_LAB = Ura.of("90000004");
    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");
    private static final String STUDY = "1.2.528.1.1001.200.1";

    private final TestDatabase db;
    private final ConsentStore store;

    ConsentStoreTest(TestDatabase db) {
        this.db = db;
        this.store = new ConsentStore(db.dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static ConsentRecord richConsent(String id) {
        return new ConsentRecord(id, PATIENT, ConsentStatus.ACTIVE, NOW.minusSeconds(60), List.of(
                Provision.deny().organisation(HOSPITAL).organisationType(OrganisationType.ZDC)
                        .purposes(PurposeOfUse.TREAT, PurposeOfUse.COC)
                        .period(new Period(NOW.minusSeconds(3600), NOW.plusSeconds(3600)))
                        .dataClasses(DataClass.REPORT).studies(STUDY, "1.2.3").build(),
                Provision.permit().organisation(AI_LAB).purposes(PurposeOfUse.AI, PurposeOfUse.RESEARCH)
                        .period(new Period(NOW, null)).build(),
                Provision.permit().build()));
    }

    @Test
    void aCreatedConsentReadsBackEqual() {
        ConsentRecord consent = richConsent(ConsentStore.newId());
        store.create(consent);
        assertThat(store.read(consent.id())).contains(consent);
        assertThat(store.version(consent.id())).contains(1);
        assertThat(db.count("consent_provision")).isEqualTo(3);
        assertThat(store.read("no-such-id")).isEmpty();
    }

    @Test
    void provisionsAreQueryable() {
        store.create(richConsent("c1"));
        store.create(new ConsentRecord("c2", OTHER, ConsentStatus.ACTIVE, NOW, List.of(Provision.deny().studies(STUDY).build())));
        store.create(new ConsentRecord("c3", OTHER, ConsentStatus.ACTIVE, NOW, List.of(Provision.deny().studies("9.9").build())));
        assertThat(store.idsNamingStudy(STUDY)).containsExactly("c1", "c2");
        assertThat(db.queryForString("select string_agg(consent_id, ',' order by consent_id) from consent_provision"
                + " where actor_uras @> array[?]::text[] and 'AI' = any(purposes)", AI_LAB.value())).isEqualTo("c1");
    }

    @Test
    void searchFindsThePatientsConsentsOnly() {
        store.create(richConsent("c1"));
        store.create(new ConsentRecord("c2", PATIENT, ConsentStatus.INACTIVE, NOW, List.of(Provision.deny().build())));
        store.create(new ConsentRecord("c3", OTHER, ConsentStatus.ACTIVE, NOW, List.of(Provision.deny().build())));
        assertThat(store.search(PATIENT)).extracting(ConsentRecord::id).containsExactlyInAnyOrder("c1", "c2");
        assertThat(store.search(PATIENT, ConsentStatus.ACTIVE)).extracting(ConsentRecord::id).containsExactly("c1");
        assertThat(store.consentsOf(OTHER)).extracting(ConsentRecord::id).containsExactly("c3");
        assertThat(store.search(Bsn.of("999990032"))).isEmpty();
    }

    @Test
    void aDuplicateIdIsAConflictAndChangesNothing() {
        store.create(richConsent("c1"));
        ConsentRecord other = new ConsentRecord("c1", OTHER, ConsentStatus.ACTIVE, NOW, List.of(Provision.deny().build()));
        assertThatThrownBy(() -> store.create(other)).isInstanceOf(ConsentConflictException.class);
        assertThat(store.read("c1").orElseThrow().patient()).isEqualTo(PATIENT);
        assertThat(db.count("consent_provision")).isEqualTo(3);
    }

    @Test
    void aConsentCannotBeCreatedRevoked() {
        ConsentRecord revoked = richConsent("c1").withStatus(ConsentStatus.REVOKED);
        assertThatThrownBy(() -> store.create(revoked)).isInstanceOf(IllegalArgumentException.class);
        assertThat(db.count("consent")).isZero();
    }

    @Test
    void revocationIsAStatusChangeWithHistoryAndNothingIsDeleted() {
        store.create(richConsent("c1"));
        ConsentRecord revoked = store.revoke("c1", "patient withdrew by phone").orElseThrow();

        assertThat(revoked.status()).isEqualTo(ConsentStatus.REVOKED);
        assertThat(revoked.provisions()).isEqualTo(richConsent("c1").provisions());
        assertThat(store.version("c1")).contains(2);
        assertThat(store.history("c1")).extracting(ConsentStore.ConsentEvent::event, ConsentStore.ConsentEvent::status,
                        ConsentStore.ConsentEvent::version, ConsentStore.ConsentEvent::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("created", ConsentStatus.ACTIVE, 1, null),
                        org.assertj.core.groups.Tuple.tuple("revoked", ConsentStatus.REVOKED, 2, "patient withdrew by phone"));
        assertThat(store.history("c1").get(1).recordedAt()).isEqualTo(NOW);
        assertThat(db.count("consent")).isEqualTo(1);
        assertThat(db.count("consent_provision")).isEqualTo(3);

        // again: nothing changes
        assertThat(store.revoke("c1", "twice")).map(ConsentRecord::status).contains(ConsentStatus.REVOKED);
        assertThat(store.version("c1")).contains(2);
        assertThat(store.history("c1")).hasSize(2);
        assertThat(store.revoke("unknown", "x")).isEmpty();
    }

    @Test
    void theStoreFeedsTheDecision() {
        store.create(new ConsentRecord("c1", PATIENT, ConsentStatus.ACTIVE, NOW,
                List.of(Provision.deny().organisation(HOSPITAL).studies(STUDY).build())));
        ConsentService service = new ConsentService(new ConsentDecisionEngine(ConsentPolicy.defaults()), store, null);
        RequestContext request = new RequestContext(HOSPITAL, OrganisationType.HOSPITAL, "01.015", "u", PurposeOfUse.TREAT, NOW);
        ResourceMetadata study = new ResourceMetadata(PATIENT, STUDY, DataClass.IMAGING_STUDY, Ura.of("90000001"), OrganisationType.ZDC);

        assertThat(service.decide(request, study).rule()).isEqualTo(DecisionRule.STUDY_DENY);
        store.revoke("c1", "withdrawn");
        assertThat(service.decide(request, study).rule()).isEqualTo(DecisionRule.DEFAULT_PERMIT);
    }
}
