package nl.beeldbrug.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.OrganisationDirectory;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.consent.identity.OrganisationIdentity;

import java.time.Clock;
import java.util.Optional;

/**
 * Who is asking and why, for the consent decision and the audit record of one HTTP request: the organisation
 * from the checked client certificate ({@link #CERTIFIED_ORGANISATION}, left by the mutual-TLS filter), else
 * from the verified token's {@code subject_organization_id}; role, user and purpose from the token
 * ({@link AccessContext#REQUEST_ATTRIBUTE}). A request that proves neither counts as the configured open requester
 * — only possible while mutual TLS and tokens are both off (the demo); the filters refuse such requests otherwise.
 */
public final class Requesters {

    /** Request attribute with the {@link OrganisationIdentity} of the checked client certificate. */
    public static final String CERTIFIED_ORGANISATION = OrganisationIdentity.class.getName();

    private final OrganisationDirectory directory;
    private final RequesterProperties open;
    private final Clock clock;

    public Requesters(OrganisationDirectory directory, RequesterProperties open, Clock clock) {
        this.directory = directory;
        this.open = open;
        this.clock = clock;
    }

    /** The request context of an HTTP request (never null). */
    public RequestContext of(HttpServletRequest request) {
        Object certified = request.getAttribute(CERTIFIED_ORGANISATION);
        Object token = request.getAttribute(AccessContext.REQUEST_ATTRIBUTE);
        Ura organisation = certified instanceof OrganisationIdentity identity ? identity.ura()
                : token instanceof AccessContext access && access.organisation() != null ? access.organisation()
                : Ura.of(open.ura());
        OrganisationType type = certified == null && token == null ? OrganisationType.of(open.type()) : directory.typeOf(organisation);
        if (token instanceof AccessContext access) {
            return access.requestContext(organisation, type, clock.instant());
        }
        return new RequestContext(organisation, type, open.uziRole(), open.user(), PurposeOfUse.fromCode(open.purpose()),
                clock.instant());
    }

    /** The context of a request outside HTTP (DICOM association, job) that already knows its requester. */
    public RequestContext of(Ura organisation, PurposeOfUse purpose, String user) {
        return new RequestContext(organisation, directory.typeOf(organisation), null, user, purpose, clock.instant());
    }

    /** The checked certificate's identity of a request, when mutual TLS is on. */
    public static Optional<OrganisationIdentity> certifiedOrganisation(HttpServletRequest request) {
        return request.getAttribute(CERTIFIED_ORGANISATION) instanceof OrganisationIdentity identity
                ? Optional.of(identity) : Optional.empty();
    }
}
