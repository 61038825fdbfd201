package nl.beeldbrug.registry.consent;

import java.util.Objects;

/**
 * Who a provision is about (FHIR Consent.provision.actor): one organisation by URA, or every
 * organisation of a type.
 */
public sealed interface Actor {

    boolean matches(RequestContext context);

    static Actor organisation(Ura ura) {
        return new Organisation(ura);
    }

    static Actor organisationType(OrganisationType type) {
        return new OfType(type);
    }

    /** One organisation (FHIR: actor.reference to an Organization with the URA identifier). */
    record Organisation(Ura ura) implements Actor {
        public Organisation {
            Objects.requireNonNull(ura, "ura");
        }

        @Override
        public boolean matches(RequestContext context) {
            return ura.equals(context.organisation());
        }
    }

    /** Every organisation of a type (FHIR: actor.reference to a Group / CareTeam-like characteristic). */
    record OfType(OrganisationType type) implements Actor {
        public OfType {
            Objects.requireNonNull(type, "type");
        }

        @Override
        public boolean matches(RequestContext context) {
            return type.equals(context.organisationType());
        }
    }
}
