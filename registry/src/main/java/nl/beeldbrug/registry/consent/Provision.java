package nl.beeldbrug.registry.consent;

import java.util.Objects;
import java.util.Set;

/**
 * One rule of a consent (FHIR R4 Consent.provision): permit or deny, for whom, for which purposes, when,
 * which data. An empty set means "any" — with one exception that protects secondary use: a permit with
 * no purposes covers only the treatment purposes (TREAT, COC), never RESEARCH or AI; a deny with no
 * purposes covers every purpose.
 *
 * @param type        permit or deny
 * @param actors      organisations (URA) or organisation types it is about; empty: everyone
 * @param purposes    purposes of use it is about; empty: see above
 * @param period      when it applies ({@link Period#ALWAYS} for always)
 * @param dataClasses images and/or reports; empty: both
 * @param studyUids   specific studies (Study Instance UIDs); empty: all studies of the patient
 */
public record Provision(ProvisionType type, Set<Actor> actors, Set<PurposeOfUse> purposes, Period period,
                        Set<DataClass> dataClasses, Set<String> studyUids) {

    public Provision {
        Objects.requireNonNull(type, "type");
        actors = Set.copyOf(actors);
        purposes = Set.copyOf(purposes);
        period = period == null ? Period.ALWAYS : period;
        dataClasses = Set.copyOf(dataClasses);
        studyUids = Set.copyOf(studyUids);
    }

    public static Builder permit() {
        return new Builder(ProvisionType.PERMIT);
    }

    public static Builder deny() {
        return new Builder(ProvisionType.DENY);
    }

    /** True when this provision names specific studies (it then outranks provisions about all studies). */
    public boolean isStudySpecific() {
        return !studyUids.isEmpty();
    }

    /** True when this provision speaks about this request for this resource. */
    public boolean appliesTo(RequestContext context, ResourceMetadata resource) {
        return coversActor(context) && coversPurpose(context.purpose()) && period.contains(context.time())
                && (dataClasses.isEmpty() || dataClasses.contains(resource.dataClass()))
                && (studyUids.isEmpty() || studyUids.contains(resource.studyInstanceUid()));
    }

    private boolean coversActor(RequestContext context) {
        if (actors.isEmpty()) {
            return true;
        }
        for (Actor actor : actors) {
            if (actor.matches(context)) {
                return true;
            }
        }
        return false;
    }

    /** Explicit purposes are taken literally; an empty list permits treatment only but denies everything. */
    public boolean coversPurpose(PurposeOfUse purpose) {
        if (!purposes.isEmpty()) {
            return purposes.contains(purpose);
        }
        return type == ProvisionType.DENY || purpose.isTreatment();
    }

    /** Fluent construction, mostly for tests and mappers. */
    public static final class Builder {
        private final ProvisionType type;
        private final java.util.Set<Actor> actors = new java.util.LinkedHashSet<>();
        private final java.util.Set<PurposeOfUse> purposes = java.util.EnumSet.noneOf(PurposeOfUse.class);
        private Period period = Period.ALWAYS;
        private final java.util.Set<DataClass> dataClasses = java.util.EnumSet.noneOf(DataClass.class);
        private final java.util.Set<String> studyUids = new java.util.LinkedHashSet<>();

        private Builder(ProvisionType type) {
            this.type = type;
        }

        public Builder organisation(Ura ura) {
            actors.add(Actor.organisation(ura));
            return this;
        }

        public Builder organisationType(OrganisationType organisationType) {
            actors.add(Actor.organisationType(organisationType));
            return this;
        }

        public Builder purposes(PurposeOfUse... values) {
            purposes.addAll(java.util.List.of(values));
            return this;
        }

        public Builder period(Period value) {
            period = value;
            return this;
        }

        public Builder dataClasses(DataClass... values) {
            dataClasses.addAll(java.util.List.of(values));
            return this;
        }

        public Builder studies(String... uids) {
            studyUids.addAll(java.util.List.of(uids));
            return this;
        }

        public Provision build() {
            return new Provision(type, actors, purposes, period, dataClasses, studyUids);
        }
    }
}
