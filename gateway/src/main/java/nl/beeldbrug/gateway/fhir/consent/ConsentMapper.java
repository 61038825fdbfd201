package nl.beeldbrug.gateway.fhir.consent;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import nl.beeldbrug.gateway.fhir.FhirNaming;
import nl.beeldbrug.registry.consent.Actor;
import nl.beeldbrug.registry.consent.ConsentRecord;
import nl.beeldbrug.registry.consent.ConsentStatus;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.OrganisationType;
import nl.beeldbrug.registry.consent.Period;
import nl.beeldbrug.registry.consent.Provision;
import nl.beeldbrug.registry.consent.ProvisionType;
import nl.beeldbrug.registry.consent.PurposeOfUse;
import nl.beeldbrug.registry.consent.Ura;
import nl.beeldbrug.registry.patient.Bsn;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * FHIR R4 Consent ↔ {@link ConsentRecord}, as docs/consent.md's mapping table says. The root provision carries no
 * rule of its own; each record provision is one nested provision (type, actor, purpose, period, class, data).
 * Anything the record cannot hold is refused (422) rather than dropped, so what is stored is what was sent.
 */
public final class ConsentMapper {

    public static final String CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope";
    public static final String LOINC = "http://loinc.org";
    public static final String PATIENT_CONSENT = "59284-0";
    public static final String ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
    public static final String ACT_REASON_OID = "urn:oid:2.16.840.1.113883.5.8";
    public static final String PROJECT_PURPOSE = "https://beeldbrug.nl/fhir/CodeSystem/purpose-of-use";
    public static final String PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    public static final String ORGANISATION_TYPE = "urn:oid:" + OrganisationType.OID;
    public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";
    /** Consent.policy.uri: Beeldbrug's consent rules (docs/consent.md); R4 asks for a policy or policyRule. */
    public static final String POLICY = "https://beeldbrug.nl/fhir/consent-policy";

    public Consent toConsent(ConsentRecord record, int version) {
        Consent consent = new Consent();
        consent.setId(record.id());
        consent.getMeta().setVersionId(String.valueOf(version));
        consent.setStatus(Consent.ConsentState.fromCode(record.status().fhirCode()));
        consent.setScope(new CodeableConcept(new Coding(CONSENT_SCOPE, "patient-privacy", "Privacy Consent")));
        consent.addCategory(new CodeableConcept(new Coding(LOINC, PATIENT_CONSENT, "Patient Consent")));
        consent.setPatient(new Reference("Patient/" + record.patient().value())
                .setIdentifier(new Identifier().setSystem(FhirNaming.BSN).setValue(record.patient().value())));
        consent.setDateTime(Date.from(record.dateTime()));
        consent.addPolicy().setUri(POLICY);
        Consent.ProvisionComponent root = consent.getProvision();
        for (Provision p : record.provisions()) {
            Consent.ProvisionComponent nested = root.addProvision();
            nested.setType(p.type() == ProvisionType.PERMIT ? Consent.ConsentProvisionType.PERMIT : Consent.ConsentProvisionType.DENY);
            if (p.period().start() != null || p.period().end() != null) {
                nested.getPeriod().setStart(p.period().start() == null ? null : Date.from(p.period().start()))
                        .setEnd(p.period().end() == null ? null : Date.from(p.period().end()));
            }
            p.actors().stream().sorted(Comparator.comparing(Object::toString)).forEach(actor -> {
                Reference reference = new Reference();
                if (actor instanceof Actor.Organisation o) {
                    reference.setType("Organization").setIdentifier(new Identifier().setSystem(FhirNaming.URA).setValue(o.ura().value()));
                } else if (actor instanceof Actor.OfType t) {
                    reference.setType("Group").setIdentifier(new Identifier().setSystem(ORGANISATION_TYPE).setValue(t.type().code()));
                }
                nested.addActor().setRole(new CodeableConcept(new Coding(PARTICIPATION_TYPE, "IRCP", "information recipient")))
                        .setReference(reference);
            });
            p.purposes().stream().sorted().forEach(purpose -> nested.addPurpose(purpose == PurposeOfUse.AI
                    ? new Coding(PROJECT_PURPOSE, purpose.code(), "AI") : new Coding(ACT_REASON, purpose.code(), null)));
            p.dataClasses().stream().sorted().forEach(c -> nested.addClass_(new Coding(RESOURCE_TYPES,
                    c == DataClass.IMAGING_STUDY ? "ImagingStudy" : "DocumentReference", null)));
            p.studyUids().stream().sorted().forEach(uid -> nested.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE)
                    .setReference(new Reference().setType("ImagingStudy")
                            .setIdentifier(new Identifier().setSystem(FhirNaming.DICOM_UID).setValue("urn:oid:" + uid))));
        }
        return consent;
    }

    /**
     * The record a Consent describes, with this id; status active or inactive.
     *
     * @throws UnprocessableEntityException naming what cannot be taken (never echoing a BSN)
     */
    public ConsentRecord toRecord(Consent consent, String id) {
        ConsentStatus status = switch (consent.getStatus() == null ? "" : consent.getStatus().toCode()) {
            case "active" -> ConsentStatus.ACTIVE;
            case "inactive" -> ConsentStatus.INACTIVE;
            default -> throw refuse("status: must be active or inactive");
        };
        if (!consent.getScope().getCoding().stream()
                .anyMatch(c -> CONSENT_SCOPE.equals(c.getSystem()) && "patient-privacy".equals(c.getCode()))) {
            throw refuse("scope: must be " + CONSENT_SCOPE + "|patient-privacy");
        }
        Bsn patient = patientOf(consent.getPatient());
        if (consent.getDateTime() == null) {
            throw refuse("dateTime: required");
        }
        if (consent.hasPerformer() || consent.hasOrganization() || consent.hasVerification() || consent.hasSource()) {
            throw refuse("performer, organization, source and verification are not supported");
        }
        Consent.ProvisionComponent root = consent.getProvision();
        if (root.hasType() || root.hasActor() || root.hasPurpose() || root.hasPeriod() || root.hasClass_() || root.hasData()
                || root.hasAction() || root.hasSecurityLabel() || root.hasCode() || root.hasDataPeriod()) {
            throw refuse("provision: the root provision carries no rule; put each rule in a nested provision");
        }
        if (!root.hasProvision()) {
            throw refuse("provision: at least one nested provision is required");
        }
        List<Provision> provisions = root.getProvision().stream().map(ConsentMapper::provision).toList();
        return new ConsentRecord(id, patient, status, consent.getDateTime().toInstant(), provisions);
    }

    private static Provision provision(Consent.ProvisionComponent p) {
        if (p.hasProvision() || p.hasAction() || p.hasSecurityLabel() || p.hasCode() || p.hasDataPeriod()) {
            throw refuse("provision.provision: only type, actor, purpose, period, class and data are supported, one level deep");
        }
        if (!p.hasType()) {
            throw refuse("provision.provision.type: permit or deny required");
        }
        ProvisionType type = p.getType() == Consent.ConsentProvisionType.PERMIT ? ProvisionType.PERMIT : ProvisionType.DENY;
        Set<Actor> actors = new LinkedHashSet<>();
        for (Consent.provisionActorComponent actor : p.getActor()) {
            Identifier identifier = actor.getReference().getIdentifier();
            if (actor.getReference().hasReference() || identifier == null || !identifier.hasValue()) {
                throw refuse("provision.actor.reference: an Organization by URA identifier or a Group by organisation type identifier");
            }
            try {
                if (FhirNaming.URA.equals(identifier.getSystem())) {
                    actors.add(Actor.organisation(Ura.of(identifier.getValue())));
                } else if (ORGANISATION_TYPE.equals(identifier.getSystem())) {
                    actors.add(Actor.organisationType(OrganisationType.of(identifier.getValue())));
                } else {
                    throw refuse("provision.actor.reference.identifier: system must be " + FhirNaming.URA + " or " + ORGANISATION_TYPE);
                }
            } catch (IllegalArgumentException e) {
                throw refuse("provision.actor.reference.identifier: " + e.getMessage());
            }
        }
        Set<PurposeOfUse> purposes = new LinkedHashSet<>();
        for (Coding purpose : p.getPurpose()) {
            purposes.add(purpose(purpose));
        }
        Period period = Period.ALWAYS;
        if (p.hasPeriod()) {
            Instant start = p.getPeriod().getStart() == null ? null : p.getPeriod().getStart().toInstant();
            Instant end = p.getPeriod().getEnd() == null ? null : p.getPeriod().getEnd().toInstant();
            try {
                period = new Period(start, end);
            } catch (IllegalArgumentException e) {
                throw refuse("provision.period: " + e.getMessage());
            }
        }
        Set<DataClass> classes = new LinkedHashSet<>();
        for (Coding c : p.getClass_()) {
            if (!RESOURCE_TYPES.equals(c.getSystem())) {
                throw refuse("provision.class: system must be " + RESOURCE_TYPES);
            }
            classes.add(switch (c.getCode() == null ? "" : c.getCode()) {
                case "ImagingStudy" -> DataClass.IMAGING_STUDY;
                case "DocumentReference" -> DataClass.REPORT;
                default -> throw refuse("provision.class: ImagingStudy or DocumentReference");
            });
        }
        Set<String> studies = new LinkedHashSet<>();
        for (Consent.provisionDataComponent data : p.getData()) {
            Identifier identifier = data.getReference().getIdentifier();
            String value = identifier == null ? null : identifier.getValue();
            if (data.getMeaning() != Consent.ConsentDataMeaning.INSTANCE || data.getReference().hasReference()
                    || !FhirNaming.DICOM_UID.equals(identifier.getSystem()) || value == null
                    || !value.matches("urn:oid:[0-2](\\.(0|[1-9][0-9]*))+") || value.length() > 72) {
                throw refuse("provision.data: meaning instance, reference to an ImagingStudy by identifier "
                        + FhirNaming.DICOM_UID + "|urn:oid:<Study Instance UID>");
            }
            studies.add(value.substring("urn:oid:".length()));
        }
        return new Provision(type, actors, purposes, period, classes, studies);
    }

    private static PurposeOfUse purpose(Coding coding) {
        String code = coding.getCode() == null ? "" : coding.getCode();
        if ((ACT_REASON.equals(coding.getSystem()) || ACT_REASON_OID.equals(coding.getSystem()))
                && (code.equals("TREAT") || code.equals("COC") || code.equals("HRESCH"))) {
            return PurposeOfUse.fromCode(code);
        }
        if (PROJECT_PURPOSE.equals(coding.getSystem()) && code.equals("AI")) {
            return PurposeOfUse.AI;
        }
        throw refuse("provision.purpose: unknown purpose (" + ACT_REASON + " TREAT, COC, HRESCH; " + PROJECT_PURPOSE + " AI)");
    }

    /** The patient's BSN from {@code Patient/<bsn>} or the BSN identifier. */
    static Bsn patientOf(Reference patient) {
        String candidate = null;
        if (patient.hasIdentifier()) {
            if (!FhirNaming.BSN.equals(patient.getIdentifier().getSystem())) {
                throw refuse("patient.identifier: system must be " + FhirNaming.BSN);
            }
            candidate = patient.getIdentifier().getValue();
        }
        if (patient.hasReference()) {
            var ref = patient.getReferenceElement();
            if (!"Patient".equals(ref.getResourceType()) || ref.hasBaseUrl()
                    || (candidate != null && !candidate.equals(ref.getIdPart()))) {
                throw refuse("patient: reference must be Patient/<BSN> and agree with the identifier");
            }
            candidate = ref.getIdPart();
        }
        if (candidate == null) {
            throw refuse("patient: required (Patient/<BSN> or the BSN identifier)");
        }
        return Bsn.parse(candidate).orElseThrow(() -> refuse("patient: not a valid BSN"));
    }

    static UnprocessableEntityException refuse(String message) {
        return new UnprocessableEntityException("Consent." + message);
    }
}
