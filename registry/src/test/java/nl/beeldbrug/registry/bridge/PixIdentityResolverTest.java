package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.DicomPatient.OtherPatientId;
import nl.beeldbrug.registry.bridge.IdentityResolution.Found;
import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.bridge.IdentityResolution.Unresolved;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PixIdentityResolverTest {

    private static final String DOMAIN = "1.2.528.1.1001.100.1";

    private final List<LocalPatientId> asked = new ArrayList<>();

    private PixIdentityResolver answering(PatientIndexQuery.Answer answer) {
        return new PixIdentityResolver("urn:oid:" + DOMAIN, id -> {
            asked.add(id);
            return answer;
        });
    }

    @Test
    void knownLocalIdGivesItsBsn() {
        IdentityResolution r = answering(new PatientIndexQuery.Known(List.of("999990019"))).resolve("zdc", DicomPatient.of("PAT-1", null));
        assertThat(r).isEqualTo(new Found(Bsn.of("999990019")));
        assertThat(asked).containsExactly(new LocalPatientId(DOMAIN, "PAT-1"));
    }

    @Test
    void theLocalIdMayComeFromOtherPatientIds() {
        DicomPatient patient = new DicomPatient("X", "9.9.9", List.of(new OtherPatientId("PAT-2", "&" + DOMAIN + "&ISO")));
        answering(new PatientIndexQuery.Known(List.of("999990019"))).resolve("zdc", patient);
        assertThat(asked).containsExactly(new LocalPatientId(DOMAIN, "PAT-2"));
    }

    @Test
    void noLocalIdIsNotAsked() {
        IdentityResolution r = answering(new PatientIndexQuery.Known(List.of("999990019")))
                .resolve("zdc", DicomPatient.of("999990019", Bsn.OID));
        assertThat(r).isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.NO_BSN));
        assertThat(asked).isEmpty();
    }

    @Test
    void unknownLocalIdIsNotFound() {
        IdentityResolution r = answering(new PatientIndexQuery.Unknown("AE 204 on QPD-3")).resolve("zdc", DicomPatient.of("PAT-9", null));
        assertThat(r).isInstanceOfSatisfying(Unresolved.class, u -> {
            assertThat(u.reason()).isEqualTo(Reason.NO_BSN);
            assertThat(u.detail()).contains("does not know").doesNotContain("PAT-9");
        });
    }

    @Test
    void knownWithoutBsnIsNotFound() {
        assertThat(answering(new PatientIndexQuery.Known(List.of())).resolve("zdc", DicomPatient.of("PAT-1", null)))
                .isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.NO_BSN));
    }

    @Test
    void invalidBsnIsRefused() {
        assertThat(answering(new PatientIndexQuery.Known(List.of("999990018"))).resolve("zdc", DicomPatient.of("PAT-1", null)))
                .isInstanceOfSatisfying(Unresolved.class, u -> {
                    assertThat(u.reason()).isEqualTo(Reason.INVALID_BSN);
                    assertThat(u.detail()).doesNotContain("999990018");
                });
    }

    @Test
    void twoBsnsAreAmbiguous() {
        assertThat(answering(new PatientIndexQuery.Known(List.of("999990019", "999990020", "999990019")))
                .resolve("zdc", DicomPatient.of("PAT-1", null)))
                .isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.AMBIGUOUS));
    }

    @Test
    void anIndexThatCannotBeAskedIsUnavailable() {
        assertThat(answering(new PatientIndexQuery.Failed("no answer within 2000 ms")).resolve("zdc", DicomPatient.of("PAT-1", null)))
                .isInstanceOfSatisfying(Unresolved.class, u -> {
                    assertThat(u.reason()).isEqualTo(Reason.UNAVAILABLE);
                    assertThat(u.detail()).contains("no answer within 2000 ms");
                });
    }

    @Test
    void aLocalDomainIsRequired() {
        assertThatThrownBy(() -> new PixIdentityResolver(" ", id -> null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void assigningAuthoritiesCompareByOid() {
        assertThat(AssigningAuthority.same("urn:oid:1.2.3", "&1.2.3&ISO")).isTrue();
        assertThat(AssigningAuthority.same("HOSP&1.2.3&ISO", "1.2.3")).isTrue();
        assertThat(AssigningAuthority.same("1.2.3", "1.2.4")).isFalse();
        assertThat(AssigningAuthority.same(null, "")).isFalse();
        assertThat(new LocalPatientId(DOMAIN, "PAT-1").toString()).doesNotContain("PAT-1");
    }
}
