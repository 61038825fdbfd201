package nl.beeldbrug.registry.bridge;

import nl.beeldbrug.registry.bridge.DicomPatient.OtherPatientId;
import nl.beeldbrug.registry.bridge.IdentityResolution.Found;
import nl.beeldbrug.registry.bridge.IdentityResolution.Reason;
import nl.beeldbrug.registry.bridge.IdentityResolution.Unresolved;
import nl.beeldbrug.registry.patient.Bsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderIdentityResolverTest {

    private final HeaderIdentityResolver resolver = new HeaderIdentityResolver();

    @ParameterizedTest
    @ValueSource(strings = {Bsn.OID, "urn:oid:" + Bsn.OID, "&" + Bsn.OID + "&ISO"})
    void patientIdWithTheBsnIssuerIsTheBsn(String issuer) {
        assertThat(resolver.resolve("zdc", DicomPatient.of("999990019", issuer)))
                .isEqualTo(new Found(Bsn.of("999990019")));
    }

    @Test
    void anOtherPatientIdsItemWithTheBsnIssuerIsTheBsn() {
        DicomPatient patient = new DicomPatient("PAT-4711", "1.2.3.4",
                List.of(new OtherPatientId("X1", "9.9"), new OtherPatientId("999990019", Bsn.OID)));
        assertThat(resolver.resolve("zdc", patient)).isEqualTo(new Found(Bsn.of("999990019")));
    }

    @Test
    void sameBsnTwiceIsNotAmbiguous() {
        DicomPatient patient = new DicomPatient("999990019", Bsn.OID, List.of(new OtherPatientId("999990019", Bsn.OID)));
        assertThat(resolver.resolve("zdc", patient)).isInstanceOf(Found.class);
    }

    @Test
    void noBsnIssuer() {
        assertThat(resolver.resolve("zdc", DicomPatient.of("999990019", "1.2.3")))
                .isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.NO_BSN));
        assertThat(resolver.resolve("zdc", DicomPatient.of("999990019", null)))
                .isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.NO_BSN));
    }

    @Test
    void failingTheElfproefIsInvalid() {
        IdentityResolution r = resolver.resolve("zdc", DicomPatient.of("999990018", Bsn.OID));
        assertThat(r).isInstanceOfSatisfying(Unresolved.class, u -> {
            assertThat(u.reason()).isEqualTo(Reason.INVALID_BSN);
            assertThat(u.detail()).doesNotContain("999990018");
        });
    }

    @Test
    void twoDifferentBsnsAreAmbiguous() {
        DicomPatient patient = new DicomPatient("999990019", Bsn.OID, List.of(new OtherPatientId("999990020", Bsn.OID)));
        assertThat(resolver.resolve("zdc", patient))
                .isInstanceOfSatisfying(Unresolved.class, u -> assertThat(u.reason()).isEqualTo(Reason.AMBIGUOUS));
    }

    @Test
    void toStringNamesNoIdentifier() {
        DicomPatient patient = new DicomPatient("999990019", Bsn.OID, List.of(new OtherPatientId("999990020", Bsn.OID)));
        assertThat(patient.toString()).doesNotContain("99999");
    }
}
