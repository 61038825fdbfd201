package nl.beeldbrug.registry.consent.identity;

import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.CertificateRejectedException.Reason;
import nl.beeldbrug.registry.consent.testing.TestPki;
import nl.beeldbrug.registry.consent.testing.TestPki.Issued;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateCheckerTest {

    private static final Ura URA = Ura.of("90000123");

    @TempDir
    static Path directory;
    static TestPki pki;

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(directory.resolve("pki"));
    }

    private static CertificateChecker checker(Map<String, Ura> mapping, X509CRL... crls) {
        return new CertificateChecker(List.of(pki.root().certificate()), List.of(crls), mapping, Clock.systemUTC(), true);
    }

    private static CertificateChecker checker() {
        return checker(Map.of(), pki.rootCrl(), pki.crl());
    }

    private static Reason rejection(CertificateChecker checker, List<X509Certificate> chain) {
        try {
            checker.check(chain);
        } catch (CertificateRejectedException e) {
            return e.reason();
        }
        throw new AssertionError("accepted: " + chain.get(0).getSubjectX500Principal());
    }

    @Test
    void aUziServerCertificateNamesItsUra() throws Exception {
        Issued client = pki.client("hospital-b", URA);
        OrganisationIdentity identity = checker().check(client.chain());
        assertThat(identity.ura()).isEqualTo(URA);
        assertThat(identity.source()).isEqualTo(OrganisationIdentity.Source.UZI_CERTIFICATE);
        assertThat(identity.uziName().isServerCertificate()).isTrue();
        assertThat(identity.uziName().oidCa()).isEqualTo(UziCertificateName.UZI_SERVER_CA);
        assertThat(identity.subject()).contains("CN=hospital-b");
        // the chain may include the root as well
        assertThat(checker().check(client.chainWithRoot(pki.root().certificate())).ura()).isEqualTo(URA);
    }

    @Test
    void withoutTheUziNameTheConfiguredMappingNamesTheOrganisation() throws Exception {
        Issued client = pki.clientWithoutUzi("zdc-c");
        String subject = client.certificate().getSubjectX500Principal().getName();
        // another spelling of the same name matches too
        String respelled = subject.replace(",", ", ").toLowerCase(java.util.Locale.ROOT);
        OrganisationIdentity identity = checker(Map.of(respelled, Ura.of("90000003")), pki.rootCrl(), pki.crl()).check(client.chain());
        assertThat(identity.ura()).isEqualTo(Ura.of("90000003"));
        assertThat(identity.source()).isEqualTo(OrganisationIdentity.Source.CONFIGURED_MAPPING);
        assertThat(identity.uziName()).isNull();

        assertThat(rejection(checker(), client.chain())).isEqualTo(Reason.NO_ORGANISATION);
    }

    @Test
    void aMappingThatContradictsTheCertificateIsRefused() {
        Issued client = pki.client("contradicted", URA);
        String subject = client.certificate().getSubjectX500Principal().getName();
        assertThat(rejection(checker(Map.of(subject, Ura.of("90000999")), pki.rootCrl(), pki.crl()), client.chain()))
                .isEqualTo(Reason.ORGANISATION_MISMATCH);
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() {
        assertThat(rejection(checker(), pki.expiredClient("expired", URA).chain())).isEqualTo(Reason.EXPIRED);
        assertThat(rejection(checker(), pki.notYetValidClient("early", URA).chain())).isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void theCheckersClockDecides() throws Exception {
        Issued client = pki.client("clocked", URA);
        Instant later = Instant.now().plus(2, ChronoUnit.DAYS);
        CertificateChecker future = new CertificateChecker(List.of(pki.root().certificate()), List.of(), Map.of(),
                Clock.fixed(later, ZoneOffset.UTC), false);
        assertThat(rejection(future, client.chain())).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void aForeignCaIsUntrusted() {
        assertThat(rejection(checker(), pki.foreignClient("foreign", URA).chain())).isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(checker(), List.of(pki.root().certificate()))).isEqualTo(Reason.UNTRUSTED);
        assertThat(rejection(checker(), List.of())).isEqualTo(Reason.NO_CERTIFICATE);
    }

    @Test
    void aChainWithoutItsIntermediateIsUntrusted() {
        Issued client = pki.client("lonely", URA);
        assertThat(rejection(checker(), List.of(client.certificate()))).isEqualTo(Reason.UNTRUSTED);
    }

    @Test
    void aRevokedCertificateIsRefusedOthersStillPass() throws Exception {
        Issued revoked = pki.client("revoked", URA);
        Issued fine = pki.client("fine", URA);
        assertThat(checker().check(revoked.chain()).ura()).as("before revocation").isEqualTo(URA);
        pki.revoke(revoked);
        CertificateChecker checker = checker();
        assertThat(rejection(checker, revoked.chain())).isEqualTo(Reason.REVOKED);
        assertThat(checker.check(fine.chain()).ura()).isEqualTo(URA);
    }

    @Test
    void aRevokedIntermediateTakesItsCertificatesWithIt() throws Exception {
        TestPki own = TestPki.create(directory.resolve("pki-revoked-intermediate"));
        Issued client = own.client("under-revoked-ca", URA);
        CertificateChecker before = new CertificateChecker(List.of(own.root().certificate()), List.of(own.rootCrl(), own.crl()),
                Map.of(), Clock.systemUTC(), true);
        assertThat(before.check(client.chain()).ura()).isEqualTo(URA);
        own.revoke(own.intermediate());
        CertificateChecker after = new CertificateChecker(List.of(own.root().certificate()), List.of(own.rootCrl(), own.crl()),
                Map.of(), Clock.systemUTC(), true);
        assertThat(rejection(after, client.chain())).isEqualTo(Reason.REVOKED);
    }

    @Test
    void aCertificateForServersOnlyIsNoClientCertificate() {
        assertThat(rejection(checker(), pki.serverOnly("server-only", URA).chain())).isEqualTo(Reason.NOT_FOR_CLIENT_AUTH);
    }

    @Test
    void revocationStatusUnknownFailsClosedWhenCrlsAreRequired() throws Exception {
        Issued client = pki.client("unknown-status", URA);
        assertThat(rejection(checker(Map.of(), pki.rootCrl()), client.chain())).as("no CRL of the intermediate")
                .isEqualTo(Reason.REVOCATION_UNKNOWN);
        assertThat(rejection(checker(Map.of(), pki.rootCrl(), pki.staleCrl()), client.chain())).as("stale CRL")
                .isEqualTo(Reason.REVOCATION_UNKNOWN);
        assertThat(rejection(checker(Map.of(), pki.rootCrl(), pki.forgedCrl()), client.chain())).as("CRL with a wrong signature")
                .isEqualTo(Reason.REVOCATION_UNKNOWN);
        CertificateChecker lenient = new CertificateChecker(List.of(pki.root().certificate()), List.of(), Map.of(), Clock.systemUTC(), false);
        assertThat(lenient.check(client.chain()).ura()).isEqualTo(URA);
    }

    @Test
    void aForgedCrlCannotRevoke() throws Exception {
        Issued client = pki.client("target", URA);
        // the forged CRL lists nothing, but even so it must not count as the intermediate's CRL
        CertificateChecker checker = new CertificateChecker(List.of(pki.root().certificate()), List.of(pki.forgedCrl()),
                Map.of(), Clock.systemUTC(), false);
        assertThat(checker.check(client.chain()).ura()).isEqualTo(URA);
    }

    @Test
    void theCheckerReadsPemFiles() throws Exception {
        Issued client = pki.client("from-files", URA);
        pki.revoke(pki.client("gone", URA));
        CertificateChecker checker = CertificateChecker.fromPem(pki.trustAnchorPem(), List.of(pki.crlPem()), Map.of(),
                Clock.systemUTC(), true);
        assertThat(checker.check(client.chain()).ura()).isEqualTo(URA);
    }

    @Test
    void theUziNameIsParsedStrictly() {
        assertThat(UziCertificateName.parse("2.16.528.1.1003.1.3.5.5.2-1-12345678-Z-90000123-01.015-12345678"))
                .hasValueSatisfying(n -> {
                    assertThat(n.cardType()).isEqualTo("Z");
                    assertThat(n.subscriberNumber()).isEqualTo("90000123");
                    assertThat(n.role()).isEqualTo("01.015");
                    assertThat(n.agbCode()).isEqualTo("12345678");
                    assertThat(n.isServerCertificate()).isFalse();
                    assertThat(n.format()).isEqualTo("2.16.528.1.1003.1.3.5.5.2-1-12345678-Z-90000123-01.015-12345678");
                });
        for (String bad : List.of("", "2.16.528.1.1003.1.3.5.5.5-1-12345678-S-9000012-00.000-00000000",
                "1.2.3-1-12345678-S-90000123-00.000-00000000", "2.16.528.1.1003.1.3.5.5.5-1-12345678-X-90000123-00.000-00000000",
                "2.16.528.1.1003.1.3.5.5.5-1-12345678-S-90000123-00.000", "2.16.528.1.1003.1.3.5.5.5-1-12345678-S-90000123-00.000-00000000-x")) {
            assertThat(UziCertificateName.parse(bad)).as(bad).isEmpty();
        }
    }

    @Test
    void theTestPkisServerCertificateNamesLoopback() throws Exception {
        Issued server = pki.server("gateway");
        assertThat(server.certificate().getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .contains("127.0.0.1", "localhost");
        assertThat(server.keyPem()).exists();
        assertThat(server.chainPem()).exists();
        assertThat(pki.pkcs12(server, "secret".toCharArray())).exists();
    }
}
