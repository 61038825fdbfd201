package nl.beeldbrug.gateway.security;

import nl.beeldbrug.registry.testing.MutableClock;

import ca.uhn.fhir.context.FhirContext;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenFilterTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static RSAKey rsa;
    private static BearerTokenFilter filter;

    @BeforeAll
    static void setUp() {
        rsa = Tokens.rsa("rsa-1");
        filter = new BearerTokenFilter(new AccessTokenVerifier(Map.of(Tokens.ISSUER, IssuerKeys.of(new JWKSet(rsa))),
                List.of(Tokens.AUDIENCE), AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ofSeconds(30),
                CertificateBinding.IF_PRESENT, new MutableClock(NOW)));
    }

    private static MockHttpServletResponse run(MockHttpServletRequest request, MockFilterChain chain) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, chain);
        return response;
    }

    @Test
    void aValidTokenPassesWithItsContext() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/ImagingStudy");
        request.addHeader("Authorization", Tokens.bearer(Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(NOW).build())));
        MockFilterChain chain = new MockFilterChain();

        MockHttpServletResponse response = run(request, chain);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(chain.getRequest()).isSameAs(request);
        AccessContext context = (AccessContext) request.getAttribute(AccessContext.REQUEST_ATTRIBUTE);
        assertThat(context.purpose()).isEqualTo(PurposeOfUse.TREAT);
    }

    @Test
    void anExpiredTokenOnFhirIsA401WithAnOperationOutcome() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/ImagingStudy");
        request.addHeader("Authorization", Tokens.bearer(Tokens.sign(rsa, JWSAlgorithm.RS256,
                Tokens.claims(NOW.minusSeconds(3600)).build())));
        MockFilterChain chain = new MockFilterChain();

        MockHttpServletResponse response = run(request, chain);

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(chain.getRequest()).isNull();
        assertThat(response.getHeader("WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"beeldbrug\", error=\"invalid_token\", error_description=\"the token has expired\"");
        assertThat(response.getContentType()).startsWith("application/fhir+json");
        OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser()
                .parseResource(OperationOutcome.class, response.getContentAsString());
        assertThat(outcome.getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.LOGIN);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).isEqualTo("the token has expired");
    }

    @Test
    void aBadTokenOnSoapIsA401WithASenderFault() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/services/registry/iti18");
        request.addHeader("Authorization", "Bearer abc.def.ghi");

        MockHttpServletResponse response = run(request, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).contains("error=\"invalid_token\"");
        assertThat(response.getContentType()).startsWith("application/soap+xml");
        assertThat(response.getContentAsString()).contains("<soap:Value>soap:Sender</soap:Value>")
                .contains("the token is not a well-formed signed JWT");
    }

    @Test
    void noTokenAtAllIsA401WithoutAnErrorCode() throws Exception {
        MockHttpServletResponse response = run(new MockHttpServletRequest("GET", "/fhir/metadata"), new MockFilterChain());
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer realm=\"beeldbrug\"");
    }

    @Test
    void theClientCertificateOfTheTlsConnectionIsUsedForBinding() throws Exception {
        var pki = nl.beeldbrug.registry.consent.testing.TestPki.create(java.nio.file.Files.createTempDirectory("filter-pki"));
        var certificate = pki.client("client", nl.beeldbrug.registry.consent.Ura.of(Tokens.URA)).certificate();
        var other = pki.client("other", nl.beeldbrug.registry.consent.Ura.of(Tokens.URA)).certificate();
        String token = Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(NOW)
                .claim("cnf", Map.of("x5t#S256", AccessTokenVerifier.thumbprint(certificate))).build());

        MockHttpServletRequest matching = new MockHttpServletRequest("GET", "/fhir/Patient");
        matching.addHeader("Authorization", Tokens.bearer(token));
        matching.setAttribute("jakarta.servlet.request.X509Certificate", new java.security.cert.X509Certificate[]{certificate});
        assertThat(run(matching, new MockFilterChain()).getStatus()).isEqualTo(200);

        MockHttpServletRequest stolen = new MockHttpServletRequest("GET", "/fhir/Patient");
        stolen.addHeader("Authorization", Tokens.bearer(token));
        stolen.setAttribute("jakarta.servlet.request.X509Certificate", new java.security.cert.X509Certificate[]{other});
        MockHttpServletResponse refused = run(stolen, new MockFilterChain());
        assertThat(refused.getStatus()).isEqualTo(401);
        assertThat(refused.getHeader("WWW-Authenticate")).contains("bound to another client certificate");
    }

    @Test
    void theErrorDescriptionKeepsToRfc6750Characters() {
        assertThat(BearerTokenFilter.headerSafe("a \"quoted\" \\ line\nwith é")).isEqualTo("a 'quoted' ' line'with '");
    }

    @Test
    void unavailableKeysAreA503() throws Exception {
        BearerTokenFilter noKeys = new BearerTokenFilter(new AccessTokenVerifier(Map.of(Tokens.ISSUER,
                new FileJwks(java.nio.file.Path.of("target/no-such-jwks.json"))), List.of(Tokens.AUDIENCE),
                AccessTokenVerifier.DEFAULT_ALGORITHMS, Duration.ZERO, CertificateBinding.OFF, new MutableClock(NOW)));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/ImagingStudy");
        request.addHeader("Authorization", Tokens.bearer(Tokens.sign(rsa, JWSAlgorithm.RS256, Tokens.claims(NOW).build())));
        MockHttpServletResponse response = new MockHttpServletResponse();
        noKeys.doFilter(request, response, new MockFilterChain());
        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentAsString()).contains("\"transient\"");
    }
}
