package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.FeedRejectedException.Error;
import nl.beeldbrug.registry.bridge.IdentityResolution.Found;
import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.bridge.IdentityResolution.Unresolved;
import nl.beeldbrug.registry.db.Database;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.patient.PatientIndex;
import nl.beeldbrug.registry.testing.MutableClock;
import nl.beeldbrug.registry.testing.RegistryDatabaseExtension;
import nl.beeldbrug.registry.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ITI-8 feed into the cross-reference table, and the XREF strategy reading it, on the real PostgreSQL. */
@ExtendWith(RegistryDatabaseExtension.class)
class PatientIdentityFeedTest {

    private static final String DOMAIN = "1.2.528.1.1001.100.1";
    private static final String OTHER_DOMAIN = "1.2.528.1.1001.200.1";
    private static final PatientIdentifier BSN_19 = new PatientIdentifier("999990019", "&" + Bsn.OID + "&ISO");
    private static final PatientIdentifier BSN_20 = new PatientIdentifier("999990020", "&" + Bsn.OID + "&ISO");

    private final TestDatabase db;
    private final PatientIdentityFeed feed;
    private final XrefIdentityResolver resolver;

    PatientIdentityFeedTest(TestDatabase db) {
        this.db = db;
        PatientCrossReference xref = new PatientCrossReference();
        this.feed = new PatientIdentityFeed(db.dataSource(), Set.of("urn:oid:" + DOMAIN), xref, new PatientIndex(),
                new MutableClock(Instant.parse("2026-11-29T12:00:00Z")));
        this.resolver = new XrefIdentityResolver(DOMAIN, db.dataSource(), xref);
    }

    private static PatientIdentifier local(String id) {
        return new PatientIdentifier(id, "HOSP&" + DOMAIN + "&ISO");
    }

    private IdentityResolution resolve(String localId) {
        return resolver.resolve("hospital", DicomPatient.of(localId, null));
    }

    @Test
    void admitLinksTheLocalIdToTheBsnAndMakesThePatientKnown() {
        PatientIdentityFeed.Outcome outcome = feed.update("A01", List.of(local("PAT-1"), BSN_19));
        assertThat(outcome.linked()).isEqualTo(1);
        assertThat(resolve("PAT-1")).isEqualTo(new Found(Bsn.of("999990019")));
        boolean known = Database.read(db.dataSource(), c -> new PatientIndex().exists(c, Bsn.of("999990019")));
        assertThat(known).isTrue();
        assertThat(db.queryForString("select event from patient_xref where local_id = 'PAT-1'")).isEqualTo("A01");
    }

    @Test
    void updateChangesTheBsnAndTheSameAgainChangesNothing() {
        feed.update("A04", List.of(local("PAT-1"), BSN_19));
        assertThat(feed.update("A08", List.of(local("PAT-1"), BSN_20)).linked()).isEqualTo(1);
        assertThat(resolve("PAT-1")).isEqualTo(new Found(Bsn.of("999990020")));
        assertThat(feed.update("A08", List.of(local("PAT-1"), BSN_20)).unchanged()).isEqualTo(1);
        assertThat(db.count("patient_xref")).isEqualTo(1);
    }

    @Test
    void updateWithoutBsnRemovesTheLink() {
        feed.update("A01", List.of(local("PAT-1"), BSN_19));
        PatientIdentityFeed.Outcome outcome = feed.update("A08", List.of(local("PAT-1")));
        assertThat(outcome.unlinked()).isEqualTo(1);
        assertThat(outcome.summary()).startsWith("no BSN");
        assertThat(resolve("PAT-1")).isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.NO_BSN));
    }

    @Test
    void invalidBsnIsRejectedAndNothingChanges() {
        feed.update("A01", List.of(local("PAT-1"), BSN_19));
        assertThatThrownBy(() -> feed.update("A08", List.of(local("PAT-1"), new PatientIdentifier("999990018", Bsn.OID))))
                .isInstanceOfSatisfying(FeedRejectedException.class, e -> {
                    assertThat(e.error()).isEqualTo(Error.INVALID_BSN);
                    assertThat(e.getMessage()).doesNotContain("999990018");
                });
        assertThat(resolve("PAT-1")).isEqualTo(new Found(Bsn.of("999990019")));
    }

    @Test
    void twoBsnsAreRejected() {
        assertThatThrownBy(() -> feed.update("A01", List.of(local("PAT-1"), BSN_19, BSN_20)))
                .isInstanceOfSatisfying(FeedRejectedException.class, e -> assertThat(e.error()).isEqualTo(Error.AMBIGUOUS_BSN));
        assertThat(db.count("patient_xref")).isZero();
    }

    @Test
    void identifiersOfOtherDomainsAreNotStored() {
        assertThatThrownBy(() -> feed.update("A01", List.of(new PatientIdentifier("PAT-1", "&" + OTHER_DOMAIN + "&ISO"), BSN_19)))
                .isInstanceOfSatisfying(FeedRejectedException.class, e -> assertThat(e.error()).isEqualTo(Error.UNKNOWN_DOMAIN));
        assertThat(db.count("patient_xref")).isZero();
        assertThat(db.count("patient")).isZero();
    }

    @Test
    void mergeMovesThePriorIdsLinkToTheSurvivingId() {
        feed.update("A01", List.of(local("PAT-OLD"), BSN_19));
        PatientIdentityFeed.Outcome outcome = feed.merge(List.of(local("PAT-NEW")), List.of(local("PAT-OLD")));
        assertThat(outcome.linked()).isEqualTo(1);
        assertThat(outcome.unlinked()).isEqualTo(1);
        assertThat(resolve("PAT-NEW")).isEqualTo(new Found(Bsn.of("999990019")));
        assertThat(resolve("PAT-OLD")).isInstanceOf(Unresolved.class);
        assertThat(db.queryForString("select event from patient_xref where local_id = 'PAT-NEW'")).isEqualTo("A40");
    }

    @Test
    void mergeTakesTheBsnOfTheSurvivingPatientFirst() {
        feed.update("A01", List.of(local("PAT-OLD"), BSN_19));
        feed.update("A01", List.of(local("PAT-NEW"), BSN_20));
        feed.merge(List.of(local("PAT-NEW")), List.of(local("PAT-OLD")));
        assertThat(resolve("PAT-NEW")).isEqualTo(new Found(Bsn.of("999990020")));
        assertThat(db.count("patient_xref")).isEqualTo(1);
        feed.update("A01", List.of(local("PAT-OLD2"), BSN_19));
        feed.merge(List.of(local("PAT-NEW"), BSN_19), List.of(local("PAT-OLD2")));
        assertThat(resolve("PAT-NEW")).isEqualTo(new Found(Bsn.of("999990019")));
    }

    @Test
    void mergeWithoutPriorOrSurvivingIdIsRejected() {
        feed.update("A01", List.of(local("PAT-OLD"), BSN_19));
        assertThatThrownBy(() -> feed.merge(List.of(local("PAT-NEW")), List.of(new PatientIdentifier("PAT-OLD", OTHER_DOMAIN))))
                .isInstanceOfSatisfying(FeedRejectedException.class, e -> assertThat(e.error()).isEqualTo(Error.NO_PRIOR_ID));
        assertThatThrownBy(() -> feed.merge(List.of(BSN_19), List.of(local("PAT-OLD"))))
                .isInstanceOfSatisfying(FeedRejectedException.class, e -> assertThat(e.error()).isEqualTo(Error.NO_SURVIVING_ID));
        assertThat(resolve("PAT-OLD")).isEqualTo(new Found(Bsn.of("999990019")));
    }

    @Test
    void xrefNeedsALocalIdOfItsDomain() {
        assertThat(resolver.resolve("hospital", DicomPatient.of("PAT-1", OTHER_DOMAIN)))
                .isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.NO_BSN));
    }
}
