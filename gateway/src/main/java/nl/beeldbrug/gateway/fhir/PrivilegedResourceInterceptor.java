package nl.beeldbrug.gateway.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import nl.beeldbrug.gateway.security.PrivilegedAccessProperties;
import nl.beeldbrug.gateway.security.Requesters;

import java.util.Set;

/**
 * AuditEvent only for privacy officers, Consent only for consent registrars (organisations by URA,
 * {@link PrivilegedAccessProperties}); anyone else gets 403 with an OperationOutcome. The requesting organisation is
 * the one the consent decision uses ({@link Requesters}: certificate, else token, else the open requester). Runs
 * once the interaction is known, so the refusal is audited like any other refused request (outcome 4, "HTTP 403").
 */
@Interceptor
public final class PrivilegedResourceInterceptor {

    private final Requesters requesters;
    private final Set<String> privacyOfficers;
    private final Set<String> consentRegistrars;

    public PrivilegedResourceInterceptor(Requesters requesters, PrivilegedAccessProperties properties) {
        this.requesters = requesters;
        this.privacyOfficers = Set.copyOf(properties.privacyOfficers());
        this.consentRegistrars = Set.copyOf(properties.consentRegistrars());
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void check(RequestDetails request) {
        String resource = request.getResourceName();
        Set<String> allowed = "AuditEvent".equals(resource) ? privacyOfficers
                : "Consent".equals(resource) ? consentRegistrars : null;
        if (allowed == null || !(request instanceof ServletRequestDetails servlet)) {
            return;
        }
        String ura = requesters.of(servlet.getServletRequest()).organisation().value();
        if (!allowed.contains(ura)) {
            throw new ForbiddenOperationException(resource + ": not permitted for this organisation ("
                    + ("AuditEvent".equals(resource) ? "privacy officers only" : "consent registrars only") + ")");
        }
    }
}
