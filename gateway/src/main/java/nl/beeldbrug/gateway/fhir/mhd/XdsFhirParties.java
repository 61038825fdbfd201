package nl.beeldbrug.gateway.fhir.mhd;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.AssigningAuthority;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Author;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Identifiable;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Name;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Organization;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.PatientInfo;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Person;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.Timestamp;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XcnName;
import org.openehealth.ipf.commons.ihe.xds.core.metadata.XpnName;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * People and organisations, both ways, as resources contained in the DocumentReference or List
 * (MHD Comprehensive): an XDS author is a PractitionerRole ({@code #authorN}) naming a Practitioner
 * ({@code #authorN-person}) and an Organization ({@code #authorN-org}), with authorRole as its code
 * and authorSpecialty as its specialty; legalAuthenticator a Practitioner; sourcePatientInfo a Patient.
 */
final class XdsFhirParties {

    private XdsFhirParties() {
    }

    // ------------------------------------------------------------------ XDS → FHIR

    static Reference author(DomainResource container, Author author, String id) {
        PractitionerRole role = new PractitionerRole();
        role.setId(id);
        if (author.getAuthorPerson() != null && !author.getAuthorPerson().isEmpty()) {
            container.addContained(practitioner(author.getAuthorPerson(), id + "-person"));
            role.setPractitioner(new Reference("#" + id + "-person"));
        }
        if (!author.getAuthorInstitution().isEmpty()) {
            Organization institution = author.getAuthorInstitution().get(0);
            org.hl7.fhir.r4.model.Organization organization = new org.hl7.fhir.r4.model.Organization();
            organization.setId(id + "-org");
            organization.setName(institution.getOrganizationName());
            if (institution.getIdNumber() != null) {
                organization.addIdentifier(XdsFhirTypes.identifier(new Identifiable(institution.getIdNumber(),
                        institution.getAssigningAuthority())));
            }
            container.addContained(organization);
            role.setOrganization(new Reference("#" + id + "-org"));
        }
        author.getAuthorRole().forEach(r -> role.addCode(concept(r)));
        author.getAuthorSpecialty().forEach(s -> role.addSpecialty(concept(s)));
        container.addContained(role);
        return new Reference("#" + id);
    }

    static Practitioner practitioner(Person person, String id) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(id);
        if (person.getId() != null && person.getId().getId() != null) {
            practitioner.addIdentifier(XdsFhirTypes.identifier(person.getId()));
        }
        if (person.getName() != null && !person.getName().isEmpty()) {
            practitioner.addName(humanName(person.getName()));
        }
        return practitioner;
    }

    static Patient patient(Identifiable sourcePatientId, PatientInfo info, String id) {
        Patient patient = new Patient();
        patient.setId(id);
        List<String> seen = new ArrayList<>();
        if (sourcePatientId != null && sourcePatientId.getId() != null) {
            patient.addIdentifier(XdsFhirTypes.identifier(sourcePatientId));
            seen.add(sourcePatientId.toString());
        }
        if (info != null) {
            for (Iterator<Identifiable> ids = info.getIds(); ids.hasNext(); ) {
                Identifiable other = ids.next();
                if (other != null && other.getId() != null && !seen.contains(other.toString())) {
                    patient.addIdentifier(XdsFhirTypes.identifier(other));
                    seen.add(other.toString());
                }
            }
            for (Iterator<Name> names = info.getNames(); names.hasNext(); ) {
                Name<?> name = names.next();
                if (name != null && !name.isEmpty()) {
                    patient.addName(humanName(name));
                }
            }
            if (info.getGender() != null) {
                patient.setGender(switch (info.getGender()) {
                    case "F" -> AdministrativeGender.FEMALE;
                    case "M" -> AdministrativeGender.MALE;
                    case "O", "A" -> AdministrativeGender.OTHER;
                    default -> AdministrativeGender.UNKNOWN;
                });
            }
            if (info.getDateOfBirth() != null && info.getDateOfBirth().getDateTime() != null) {
                patient.setBirthDateElement(new DateType(info.getDateOfBirth().getDateTime().toLocalDate().toString()));
            }
        }
        return patient;
    }

    private static HumanName humanName(Name<?> name) {
        HumanName human = new HumanName().setFamily(name.getFamilyName());
        if (name.getGivenName() != null) {
            human.addGiven(name.getGivenName());
        }
        if (name.getSecondAndFurtherGivenNames() != null) {
            human.addGiven(name.getSecondAndFurtherGivenNames());
        }
        if (name.getPrefix() != null) {
            human.addPrefix(name.getPrefix());
        }
        if (name.getSuffix() != null) {
            human.addSuffix(name.getSuffix());
        }
        return human;
    }

    private static CodeableConcept concept(Identifiable id) {
        if (id.getAssigningAuthority() == null || id.getAssigningAuthority().getUniversalId() == null) {
            return new CodeableConcept().setText(id.getId());
        }
        return new CodeableConcept().addCoding(new org.hl7.fhir.r4.model.Coding(
                XdsFhirTypes.systemOfScheme(id.getAssigningAuthority().getUniversalId()), id.getId(), null));
    }

    // ------------------------------------------------------------------ FHIR → XDS

    static Optional<Resource> contained(DomainResource container, Reference reference) {
        if (reference == null || reference.getReference() == null || !reference.getReference().startsWith("#")) {
            return Optional.empty();
        }
        String id = reference.getReference().substring(1);
        return container.getContained().stream()
                .filter(r -> id.equals(r.getIdElement().getIdPart()) || ("#" + id).equals(r.getId()))
                .findFirst();
    }

    /** An XDS author from a contained PractitionerRole, Practitioner or Organization; empty otherwise. */
    static Optional<Author> author(DomainResource container, Reference reference) {
        Optional<Resource> resource = contained(container, reference);
        if (resource.isEmpty()) {
            return Optional.empty();
        }
        Author author = new Author();
        if (resource.get() instanceof PractitionerRole role) {
            contained(container, role.getPractitioner()).filter(Practitioner.class::isInstance)
                    .ifPresent(p -> author.setAuthorPerson(person((Practitioner) p)));
            contained(container, role.getOrganization()).filter(org.hl7.fhir.r4.model.Organization.class::isInstance)
                    .ifPresent(o -> author.getAuthorInstitution().add(organization((org.hl7.fhir.r4.model.Organization) o)));
            role.getCode().forEach(c -> author.getAuthorRole().add(identifiable(c)));
            role.getSpecialty().forEach(c -> author.getAuthorSpecialty().add(identifiable(c)));
        } else if (resource.get() instanceof Practitioner practitioner) {
            author.setAuthorPerson(person(practitioner));
        } else if (resource.get() instanceof org.hl7.fhir.r4.model.Organization organization) {
            author.getAuthorInstitution().add(organization(organization));
        } else {
            return Optional.empty();
        }
        return Optional.of(author);
    }

    static Person person(Practitioner practitioner) {
        Person person = new Person();
        if (practitioner.hasIdentifier()) {
            person.setId(XdsFhirTypes.identifiable(practitioner.getIdentifierFirstRep()));
        }
        if (practitioner.hasName()) {
            HumanName name = practitioner.getNameFirstRep();
            person.setName(new XcnName(name.getFamily(), given(name, 0), given(name, 1),
                    name.hasSuffix() ? name.getSuffix().get(0).getValue() : null,
                    name.hasPrefix() ? name.getPrefix().get(0).getValue() : null, null));
        }
        return person;
    }

    static Organization organization(org.hl7.fhir.r4.model.Organization organization) {
        Organization xon = new Organization(organization.getName());
        if (organization.hasIdentifier()) {
            Identifiable id = XdsFhirTypes.identifiable(organization.getIdentifierFirstRep());
            xon.setIdNumber(id.getId());
            xon.setAssigningAuthority(id.getAssigningAuthority());
        }
        return xon;
    }

    /** sourcePatientId (the first identifier) and sourcePatientInfo of a contained Patient. */
    static Identifiable sourcePatientId(Patient patient) {
        return patient.hasIdentifier() ? XdsFhirTypes.identifiable(patient.getIdentifierFirstRep()) : null;
    }

    static PatientInfo patientInfo(Patient patient) {
        PatientInfo info = new PatientInfo();
        for (Identifier identifier : patient.getIdentifier()) {
            Identifiable id = XdsFhirTypes.identifiable(identifier);
            if (id != null) {
                info.getIds().add(id);
            }
        }
        for (HumanName name : patient.getName()) {
            info.getNames().add(new XpnName(name.getFamily(), given(name, 0), given(name, 1),
                    name.hasSuffix() ? name.getSuffix().get(0).getValue() : null,
                    name.hasPrefix() ? name.getPrefix().get(0).getValue() : null, null));
        }
        if (patient.hasGender()) {
            info.setGender(switch (patient.getGender()) {
                case FEMALE -> "F";
                case MALE -> "M";
                case OTHER -> "O";
                default -> "U";
            });
        }
        if (patient.hasBirthDate()) {
            DateType birth = patient.getBirthDateElement();
            info.setDateOfBirth(new Timestamp(java.time.ZonedDateTime.of(birth.getYear(), birth.getMonth() + 1, birth.getDay(),
                    0, 0, 0, 0, java.time.ZoneOffset.UTC), Timestamp.Precision.DAY));
        }
        return info;
    }

    private static String given(HumanName name, int index) {
        List<StringType> given = name.getGiven();
        return given.size() > index ? given.get(index).getValue() : null;
    }

    private static Identifiable identifiable(CodeableConcept concept) {
        if (concept.hasCoding()) {
            var coding = concept.getCodingFirstRep();
            return coding.getSystem() == null ? new Identifiable(coding.getCode())
                    : new Identifiable(coding.getCode(), new AssigningAuthority(XdsFhirTypes.schemeOfSystem(coding.getSystem()), "ISO"));
        }
        return new Identifiable(concept.getText());
    }
}
