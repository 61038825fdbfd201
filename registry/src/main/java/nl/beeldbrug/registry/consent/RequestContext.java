package nl.beeldbrug.registry.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * Who asks, on whose behalf and why: the organisation from its mutual-TLS certificate (URA, type), the
 * user and role from the IUA token (UZI role code, user id), the purpose of use, and when.
 *
 * @param organisation     the requesting organisation (URA)
 * @param organisationType its kind (hospital, ZDC, GP, AI platform, ...)
 * @param uziRole          the UZI role code of the professional (2.16.840.1.113883.2.4.15.111), may be null for a system
 * @param userId           the professional's id (UZI number) or a system id, for the audit trail; may be null
 * @param purpose          purpose of use
 * @param time             the moment the decision is made for (provisions' periods are judged against it)
 */
public record RequestContext(Ura organisation, OrganisationType organisationType, String uziRole, String userId,
                             PurposeOfUse purpose, Instant time) {

    public RequestContext {
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(organisationType, "organisationType");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(time, "time");
    }
}
