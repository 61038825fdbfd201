package nl.beeldbrug.gateway.security;

import nl.beeldbrug.gateway.consent.ReleaseAudit;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.OrganisationIdentity;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.commons.audit.DefaultAuditContext;
import org.openehealth.ipf.commons.audit.codes.EventIdCode;
import org.openehealth.ipf.commons.audit.codes.EventOutcomeIndicator;
import org.openehealth.ipf.commons.audit.model.AuditMessage;
import org.openehealth.ipf.commons.audit.queue.AuditMessageQueue;
import org.springframework.mock.web.MockHttpServletRequest;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalAuditTest {

    private final List<AuditMessage> sent = new ArrayList<>();
    private final RefusalAudit audit = new RefusalAudit(this::context);

    private DefaultAuditContext context() {
        DefaultAuditContext context = new DefaultAuditContext();
        context.setAuditEnabled(true);
        context.setAuditMessageQueue((AuditMessageQueue) (auditContext, messages) -> sent.addAll(List.of(messages)));
        return context;
    }

    @Test
    void theAttemptedTransactionKeepsNoIdentifier() {
        assertThat(RefusalAudit.attempted(request("GET", "/fhir/Patient/999999990"))).isEqualTo("GET /fhir/Patient/…");
        assertThat(RefusalAudit.attempted(request("GET", "/fhir/ImagingStudy"))).isEqualTo("GET /fhir/ImagingStudy");
        assertThat(RefusalAudit.attempted(request("POST", "/services/registry/iti18"))).isEqualTo("POST /services/registry/iti18");
        assertThat(RefusalAudit.attempted(request("GET", "/dicomweb/studies/1.2.3/series"))).isEqualTo("GET /dicomweb/studies/…");
        assertThat(RefusalAudit.attempted(request("GET", "/fhir/DocumentReference/3f2a9c1e-0b1d-4e5f-8a9b-0c1d2e3f4a5b")))
                .isEqualTo("GET /fhir/DocumentReference/…");
        assertThat(RefusalAudit.attempted(request("GET", "/fhir/Patient/$timeline/x/y"))).isEqualTo("GET /fhir/Patient/$timeline/…");
        assertThat(RefusalAudit.attempted(request("GET", "/"))).isEqualTo("GET /");
        assertThat(RefusalAudit.attempted(request("get<x>", "/fhir"))).isEqualTo("? /fhir");
    }

    @Test
    void aRefusedTokenIsAFailedLoginOfTheCertifiedOrganisation() {
        MockHttpServletRequest request = request("GET", "/fhir/Patient/999999990");
        request.setAttribute(Requesters.CERTIFIED_ORGANISATION, new OrganisationIdentity(Ura.of("12345678"),
                OrganisationIdentity.Source.CONFIGURED_MAPPING, null, "CN=client", null));
        audit.tokenRefused(request, TokenFailure.BAD_SIGNATURE);
        audit.tokenRefused(request("GET", "/fhir"), TokenFailure.EXPIRED);
        assertThat(sent).hasSize(2);
        AuditMessage bad = sent.get(0);
        assertThat(bad.getEventIdentification().getEventID().getCode()).isEqualTo(EventIdCode.UserAuthentication.getCode());
        assertThat(bad.getEventIdentification().getEventOutcomeIndicator()).isEqualTo(EventOutcomeIndicator.SeriousFailure);
        assertThat(bad.getActiveParticipants()).extracting(p -> p.getUserID())
                .contains(RefusalAudit.UNAUTHENTICATED, ReleaseAudit.ORGANISATION_PREFIX + "12345678");
        assertThat(bad.getParticipantObjectIdentifications()).singleElement()
                .satisfies(o -> assertThat(o.getParticipantObjectID()).isEqualTo("GET /fhir/Patient/…"));
        assertThat(sent.get(1).getEventIdentification().getEventOutcomeIndicator()).isEqualTo(EventOutcomeIndicator.MinorFailure);
        assertThat(request.getAttribute(RefusalAudit.REFUSED)).isEqualTo(Boolean.TRUE);
    }

    @Test
    void aRefusedCertificateIsASecurityAlert() {
        audit.certificateRefused(request("GET", "/dicomweb/studies/1.2.3"), "REVOKED");
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.getEventIdentification().getEventID().getCode()).isEqualTo(EventIdCode.SecurityAlert.getCode());
            assertThat(m.getEventIdentification().getEventOutcomeIndicator()).isEqualTo(EventOutcomeIndicator.SeriousFailure);
        });
    }

    private static MockHttpServletRequest request(String method, String uri) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        request.setRemoteAddr("192.0.2.7");
        return request;
    }
}
