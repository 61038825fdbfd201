package nl.beeldbrug.gateway.security;

import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.consent.Ura;

import java.time.Instant;
import java.util.Objects;

/**
 * What a verified IUA access token (ITI-72) says about the request: who issued it, which professional in
 * which role asks, why, on behalf of which organisation, until when.
 *
 * @param issuer          {@code iss}
 * @param subject         {@code sub}: the user, or the client when no user is known
 * @param professionalId  {@code extensions.ihe_iua.national_provider_identifier} (the UZI number) when present,
 *                        else {@code sub}
 * @param uziRole         the UZI role code from {@code subject_role} (code system 2.16.840.1.113883.2.4.15.111)
 * @param purpose         from {@code purpose_of_use}
 * @param organisation    the URA from {@code subject_organization_id} ({@code urn:oid:2.16.528.1.1007.3.3.<URA>}); null when absent
 * @param homeCommunityId {@code home_community_id}, may be null
 * @param clientId        {@code client_id}, may be null
 * @param tokenId         {@code jti}, may be null
 * @param expiresAt       {@code exp}
 * @param certificateBound true when {@code cnf.x5t#S256} was checked against the presented client certificate
 */
public record AccessContext(String issuer, String subject, String professionalId, String uziRole, PurposeOfUse purpose,
                            Ura organisation, String homeCommunityId, String clientId, String tokenId, Instant expiresAt,
                            boolean certificateBound) {

    /** The request attribute under which {@link BearerTokenFilter} leaves the verified context. */
    public static final String REQUEST_ATTRIBUTE = AccessContext.class.getName();

    public AccessContext {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(professionalId, "professionalId");
        Objects.requireNonNull(uziRole, "uziRole");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * The consent engine's request context: the organisation comes from the mutual-TLS certificate (the
     * caller compares it with {@link #organisation()} when the token names one), role, user and purpose from here.
     */
    public RequestContext requestContext(Ura certifiedOrganisation, OrganisationType type, Instant time) {
        return new RequestContext(certifiedOrganisation, type, uziRole, professionalId, purpose, time);
    }
}
