package nl.beeldbrug.bench.corpus.national;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.IParser;
import nl.beeldbrug.registry.demo.SyntheticStudies.Site;
import nl.beeldbrug.registry.patient.Bsn;
import nl.beeldbrug.registry.priors.Laterality;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.sql.Date;
import java.util.List;
import java.util.TimeZone;

/**
 * The national corpus as FHIR R4 transaction bundles (NATIONAL-CORPUS.md): {@code PUT Organization/ura-<URA>} for
 * every site, and per chunk of patients {@code PUT Patient/p<n>} and {@code PUT ImagingStudy/<Study Instance UID>}.
 * Not thread-safe (one per thread); the JSON is compact and byte-identical for the same corpus.
 */
public final class FhirBundles {

    public static final String BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn";
    public static final String URA_SYSTEM = "http://fhir.nl/fhir/NamingSystem/ura";
    public static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String LOINC = "http://loinc.org";
    private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private static final FhirContext CONTEXT = FhirContext.forR4Cached();
    private static final TimeZone NL = TimeZone.getTimeZone(NationalCorpus.NL);

    private final IParser parser = CONTEXT.newJsonParser().setPrettyPrint(false);

    public static FhirContext context() {
        return CONTEXT;
    }

    public static String patientId(int patient) {
        return "p" + patient;
    }

    public static String organizationId(Site site) {
        return "ura-" + site.ura();
    }

    /** The transaction that puts every site. */
    public String organizations() {
        Bundle bundle = transaction();
        for (Site site : Sites.ALL) {
            Organization org = new Organization();
            org.setId(organizationId(site));
            org.addIdentifier().setSystem(URA_SYSTEM).setValue(site.ura());
            org.setActive(true);
            org.setName(site.name());
            org.addType().addCoding().setSystem("http://nictiz.nl/fhir/NamingSystem/organization-type")
                    .setCode(site.hospital() ? "V4" : "Z5").setDisplay(site.hospital() ? "Ziekenhuis" : "Diagnostisch centrum");
            put(bundle, org);
        }
        return parser.encodeResourceToString(bundle);
    }

    /** The transaction of patients {@code from} (inclusive) to {@code to} (exclusive) and their studies. */
    public String chunk(NationalCorpus corpus, List<Bsn> bsns, int[] counts, int from, int to) {
        Bundle bundle = transaction();
        for (int p = from; p < to; p++) {
            put(bundle, patient(p, bsns.get(p), corpus.person(p)));
            for (NationalStudy study : corpus.studiesOf(p, counts[p])) {
                put(bundle, imagingStudy(study));
            }
        }
        return parser.encodeResourceToString(bundle);
    }

    private static Bundle transaction() {
        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.TRANSACTION);
        return bundle;
    }

    private static void put(Bundle bundle, Resource resource) {
        String url = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        bundle.addEntry().setResource(resource).getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(url);
    }

    static Patient patient(int p, Bsn bsn, Person person) {
        Patient patient = new Patient();
        patient.setId(patientId(p));
        patient.addIdentifier().setSystem(BSN_SYSTEM).setValue(bsn.value());
        patient.addName().setFamily(person.family()).addGiven(person.given());
        patient.setGender(person.sex() == 'F' ? Enumerations.AdministrativeGender.FEMALE : Enumerations.AdministrativeGender.MALE);
        patient.setBirthDateElement(new DateType(person.birthDate().toString()));
        return patient;
    }

    public static ImagingStudy imagingStudy(NationalStudy study) {
        ExamCatalogue.Exam exam = study.exam();
        ImagingStudy is = new ImagingStudy();
        is.setId(study.studyUid());
        is.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + study.studyUid());
        is.addIdentifier().setType(new CodeableConcept(new Coding(V2_0203, "ACSN", null))).setValue(study.accession());
        is.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        is.setSubject(new Reference("Patient/" + patientId(study.patient())));
        is.setStartedElement(new DateTimeType(Date.from(study.started().toInstant()), TemporalPrecisionEnum.SECOND, NL));
        is.addModality(new Coding(DCM, study.dicomModality(), null));
        CodeableConcept procedure = is.addProcedureCode();
        if (exam.loinc() != null) {
            procedure.addCoding(new Coding(LOINC, exam.loinc(), exam.loincDisplay()));
        }
        procedure.setText(study.description());
        is.setDescription(study.description());
        is.setNumberOfSeries(study.series());
        is.setNumberOfInstances(study.instanceCount());
        Reference performer = new Reference("Organization/" + organizationId(study.site()));
        for (int s = 0; s < study.series(); s++) {
            ImagingStudy.ImagingStudySeriesComponent series = is.addSeries();
            series.setUid(study.seriesUid(s));
            series.setNumber(s + 1);
            series.setModality(new Coding(DCM, study.dicomModality(), null));
            series.setBodySite(new Coding(SNOMED, exam.snomed(), exam.regionName()));
            if (study.laterality() != Laterality.UNKNOWN) {
                series.setLaterality(new Coding(SNOMED, ExamCatalogue.sideCode(study.laterality()),
                        ExamCatalogue.sideDisplay(study.laterality())));
            }
            series.setNumberOfInstances(study.instances()[s]);
            series.addPerformer().setActor(performer);
        }
        return is;
    }
}
