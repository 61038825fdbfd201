package nl.beeldbrug.conformance.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ICriterion;
import ca.uhn.fhir.rest.gclient.IQuery;
import nl.beeldbrug.conformance.support.Fhir;
import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.R4Validator;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.XdsClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * FHIR ImagingStudy search and read through HAPI's generic client, over studies this class registers
 * with ITI-41 (KOS manifest + report, or a report alone) for a demo patient of its own. Its studies
 * lie in two years decades before the demo data (the last five years), so a search limited to those
 * years has exactly them and every assertion is exact. Every resource returned is valid R4.
 */
@ExtendWith(SharedGateway.class)
class FhirImagingStudySearchIT {

    private static final String PATIENT = Patients.demo(12);
    private static final String THORAX = "51185008";
    private static final String KNEE = "72696002";
    private static final String HEAD = "69536005";
    private static final String[] MODALITIES = {"CT", "MR", "CT", "US", "CT", "MR", "CR", "CT", "MR", "US", "CT", "CR"};
    private static final String[] BODY_SITES = {THORAX, KNEE, HEAD};
    /**
     * The studies lie in YEAR and the year after, decades before the demo data; the year is drawn per run
     * so that a gateway reused between runs ({@code -Dbeeldbrug.attach}) still gives exact answers.
     */
    private static final int YEAR = 1950 + new java.util.Random().nextInt(40);
    private static final Instant FIRST = Instant.parse(YEAR + "-01-10T09:30:00Z");

    private static Gateway gateway;
    private static IGenericClient fhir;
    /** This class's studies, newest first (the order the gateway answers in). */
    private static List<Studies.Study> studies;

    @BeforeAll
    static void register(Gateway shared, XdsClient xds) {
        gateway = shared;
        fhir = Fhir.client(shared);
        List<Studies.Study> registered = new ArrayList<>();
        for (int i = 0; i < MODALITIES.length; i++) {
            Instant started = FIRST.plus(31L * i, ChronoUnit.DAYS).plus(i, ChronoUnit.HOURS);
            registered.add(Studies.register(xds, PATIENT, MODALITIES[i], BODY_SITES[i % 3], started, i % 4 != 3));
        }
        registered.sort(Comparator.comparing(Studies.Study::started).reversed());
        studies = List.copyOf(registered);
    }

    // ------------------------------------------------------------------ helpers

    private static ICriterion<?> byBsn() {
        return ImagingStudy.PATIENT.hasChainedProperty(Patient.IDENTIFIER.exactly().systemAndCode(Fhir.BSN, PATIENT));
    }

    private static IQuery<Bundle> search() {
        return fhir.search().forResource(ImagingStudy.class).returnBundle(Bundle.class);
    }

    /** The patient's studies in this class's two years. */
    private static IQuery<Bundle> ours() {
        return search().where(byBsn()).and(ImagingStudy.STARTED.afterOrEquals().day(YEAR + "-01-01"))
                .and(ImagingStudy.STARTED.before().day((YEAR + 2) + "-01-01"));
    }

    /** The same range as raw parameters. */
    private static String ourYears() {
        return "&started=ge" + YEAR + "-01-01&started=lt" + (YEAR + 2) + "-01-01";
    }

    private static List<ImagingStudy> studiesIn(Bundle bundle) {
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        List<ImagingStudy> result = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            assertThat(entry.getResource()).isInstanceOf(ImagingStudy.class);
            // search.mode is optional in R4; when given, these are matches
            assertThat(entry.getSearch().getMode()).isIn(null, Bundle.SearchEntryMode.MATCH);
            R4Validator.assertValid(entry.getResource());
            result.add((ImagingStudy) entry.getResource());
        }
        return result;
    }

    private static List<String> ids(Bundle bundle) {
        return studiesIn(bundle).stream().map(s -> s.getIdElement().getIdPart()).toList();
    }

    private static List<String> expected(Predicate<Studies.Study> filter) {
        return Studies.uids(studies.stream().filter(filter).toList());
    }

    /** The same search by raw URL (values encoded here), through the generic client. */
    private static Bundle byUrl(String query) {
        return fhir.search().byUrl("ImagingStudy?" + query).returnBundle(Bundle.class).execute();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ searches

    @Test
    void patientSearchFindsEachStudyOnceNewestFirstAsRegistered() {
        Bundle bundle = ours().count(50).execute();

        assertThat(bundle.getTotal()).isEqualTo(studies.size());
        List<ImagingStudy> found = studiesIn(bundle);
        assertThat(found).extracting(s -> s.getIdElement().getIdPart()).containsExactlyElementsOf(Studies.uids(studies));
        for (int i = 0; i < found.size(); i++) {
            ImagingStudy study = found.get(i);
            Studies.Study registered = studies.get(i);
            assertThat(study.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
            assertThat(study.getStarted().toInstant()).isEqualTo(registered.started());
            assertThat(study.getStatus().toCode()).isEqualTo(registered.status());
            assertThat(study.getModality()).extracting(Coding::getSystem, Coding::getCode)
                    .containsExactly(tuple(Fhir.DCM, registered.modality()));
            assertThat(study.getExtensionsByUrl(Fhir.EXT_BODY_SITE)).extracting(e -> ((Coding) e.getValue()).getCode())
                    .containsExactly(registered.bodySite());
            assertThat(study.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).contains(
                    tuple(Fhir.DICOM_UID, "urn:oid:" + registered.uid()),
                    tuple("urn:oid:" + Studies.ACCESSION_ISSUER, registered.accession()));
            // a study with its KOS manifest can be retrieved (WADO-RS endpoint); a report alone cannot
            assertThat(study.getEndpoint()).extracting(r -> r.getReference())
                    .isEqualTo(registered.withManifest() ? List.of("Endpoint/wado-rs") : List.of());
        }
    }

    @Test
    void everyWayOfNamingThePatientFindsTheSameStudies() {
        List<String> all = Studies.uids(studies);
        String bsnToken = enc(Fhir.BSN + "|" + PATIENT);
        assertThat(ids(byUrl("patient=Patient/" + PATIENT + ourYears()))).isEqualTo(all);
        assertThat(ids(byUrl("patient=" + PATIENT + ourYears()))).isEqualTo(all);
        assertThat(ids(byUrl("patient.identifier=" + bsnToken + ourYears()))).isEqualTo(all);
        assertThat(ids(byUrl("patient:identifier=" + bsnToken + ourYears()))).isEqualTo(all);
        assertThat(ids(search().where(ImagingStudy.PATIENT.hasId("Patient/" + PATIENT)).and(ImagingStudy.STARTED.afterOrEquals().day(YEAR + "-01-01"))
                .and(ImagingStudy.STARTED.before().day((YEAR + 2) + "-01-01")).execute())).isEqualTo(all);
    }

    @Test
    void patientModalityAndStartedRange() {
        Instant from = Instant.parse(YEAR + "-04-01T00:00:00Z");
        Instant to = Instant.parse(YEAR + "-12-01T00:00:00Z");
        Bundle bundle = search().where(byBsn())
                .and(ImagingStudy.MODALITY.exactly().systemAndCode(Fhir.DCM, "CT"))
                .and(ImagingStudy.STARTED.afterOrEquals().day(YEAR + "-04-01"))
                .and(ImagingStudy.STARTED.before().day(YEAR + "-12-01"))
                .execute();

        List<String> want = expected(s -> s.modality().equals("CT") && !s.started().isBefore(from) && s.started().isBefore(to));
        assertThat(want).hasSizeBetween(2, studies.size() - 1); // the filter selects, it does not pass everything
        assertThat(ids(bundle)).isEqualTo(want);
        assertThat(bundle.getTotal()).isEqualTo(want.size());

        // two modalities are an OR
        Bundle either = ours()
                .and(ImagingStudy.MODALITY.exactly().systemAndValues(Fhir.DCM, "MR", "US")).execute();
        assertThat(ids(either)).isEqualTo(expected(s -> s.modality().equals("MR") || s.modality().equals("US")));
    }

    @Test
    void startedWithADateMeansTheWholeDay() {
        Studies.Study some = studies.get(4);
        String day = some.started().toString().substring(0, 10);
        Bundle bundle = search().where(byBsn()).and(ImagingStudy.STARTED.exactly().day(day)).execute();
        assertThat(ids(bundle)).containsExactly(some.uid());

        Bundle from = search().where(byBsn()).and(ImagingStudy.STARTED.afterOrEquals().day(day))
                .and(ImagingStudy.STARTED.before().day((YEAR + 2) + "-01-01")).execute();
        assertThat(ids(from)).isEqualTo(Studies.uids(studies.subList(0, 5)));
    }

    @Test
    void identifierByStudyUidAndByAccession() {
        Studies.Study study = studies.get(2);

        Bundle byUid = search().where(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(Fhir.DICOM_UID, "urn:oid:" + study.uid())).execute();
        assertThat(ids(byUid)).containsExactly(study.uid());

        Bundle byIssuedAccession = search().where(ImagingStudy.IDENTIFIER.exactly()
                .systemAndIdentifier("urn:oid:" + Studies.ACCESSION_ISSUER, study.accession())).execute();
        assertThat(ids(byIssuedAccession)).containsExactly(study.uid());

        Bundle byBareAccession = byUrl("identifier=" + enc(study.accession()));
        assertThat(ids(byBareAccession)).containsExactly(study.uid());

        Bundle otherIssuer = search().where(ImagingStudy.IDENTIFIER.exactly()
                .systemAndIdentifier("urn:oid:2.16.528.1.1007.3.3.12000002.7", study.accession())).execute();
        assertThat(otherIssuer.getTotal()).isZero();
        assertThat(otherIssuer.getEntry()).isEmpty();

        Bundle withPatient = search().where(byBsn())
                .and(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(Fhir.DICOM_UID, "urn:oid:" + study.uid())).execute();
        assertThat(ids(withPatient)).containsExactly(study.uid());
        Bundle otherPatient = search().where(ImagingStudy.PATIENT.hasId("Patient/" + Patients.demo(13)))
                .and(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(Fhir.DICOM_UID, "urn:oid:" + study.uid())).execute();
        assertThat(otherPatient.getTotal()).isZero();
    }

    @Test
    void bodySite() {
        Bundle bundle = ours()
                .and(ImagingStudy.BODYSITE.exactly().systemAndCode(Fhir.SNOMED, KNEE)).execute();
        List<String> want = expected(s -> s.bodySite().equals(KNEE));
        assertThat(want).hasSize(4);
        assertThat(ids(bundle)).isEqualTo(want);
    }

    @Test
    void statusAvailableMeansAManifestIsRegistered() {
        Bundle available = ours().and(ImagingStudy.STATUS.exactly().code("available")).execute();
        Bundle registered = ours().and(ImagingStudy.STATUS.exactly().code("registered")).execute();

        assertThat(ids(available)).isEqualTo(expected(Studies.Study::withManifest));
        assertThat(ids(registered)).isEqualTo(expected(s -> !s.withManifest())).hasSize(3);
        assertThat(studiesIn(registered)).allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.REGISTERED));
    }

    @Test
    void sortByStartedDescending() {
        Bundle sorted = ours().sort().descending(ImagingStudy.STARTED).execute();
        assertThat(ids(sorted)).isEqualTo(Studies.uids(studies));

        // the patient's whole record (the demo studies too) is newest first
        Bundle all = search().where(byBsn()).sort().descending(ImagingStudy.STARTED).count(200).execute();
        List<Instant> started = studiesIn(all).stream().map(s -> s.getStarted().toInstant()).toList();
        assertThat(started).hasSizeGreaterThan(studies.size()).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(all.getTotal()).isEqualTo(started.size());
    }

    @Test
    void pagingFollowsNextLinksToTheEndWithoutGapsOrDuplicates() {
        Bundle page = ours().count(5).execute();
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            assertThat(page.getTotal()).as("total on page %d", pages).isEqualTo(studies.size());
            List<String> ids = ids(page);
            sizes.add(ids.size());
            seen.addAll(ids);
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            assertThat(pages).as("pages").isLessThan(10);
            page = fhir.loadPage().next(page).execute();
        }
        assertThat(sizes).containsExactly(5, 5, 2);
        assertThat(seen).doesNotHaveDuplicates().isEqualTo(Studies.uids(studies));

        // and back: the previous link of the last page is the second page
        Bundle previous = fhir.loadPage().previous(page).execute();
        assertThat(ids(previous)).isEqualTo(Studies.uids(studies).subList(5, 10));
    }

    @Test
    void pagingThroughThePatientsWholeRecord() {
        Bundle page = search().where(byBsn()).count(4).execute();
        int total = page.getTotal();
        Set<String> seen = new HashSet<>();
        int count = 0;
        while (page != null) {
            assertThat(page.getTotal()).isEqualTo(total);
            for (String id : ids(page)) {
                assertThat(seen.add(id)).as("%s seen once", id).isTrue();
                count++;
            }
            page = page.getLink(Bundle.LINK_NEXT) == null ? null : fhir.loadPage().next(page).execute();
        }
        assertThat(count).isEqualTo(total).isGreaterThan(studies.size());
        assertThat(seen).containsAll(Studies.uids(studies));
    }

    @Test
    void readByStudyInstanceUid() {
        for (Studies.Study registered : List.of(studies.get(0), studies.get(studies.size() - 1))) {
            ImagingStudy study = fhir.read().resource(ImagingStudy.class).withId(registered.uid()).execute();
            R4Validator.assertValid(study);
            assertThat(study.getIdElement().getIdPart()).isEqualTo(registered.uid());
            assertThat(study.getStarted().toInstant()).isEqualTo(registered.started());
            assertThat(study.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
        }
    }

    // ------------------------------------------------------------------ _include, endpoint, _summary=count, $timeline, api-docs

    private static List<Bundle.BundleEntryComponent> inMode(Bundle bundle, Bundle.SearchEntryMode mode) {
        return bundle.getEntry().stream().filter(e -> e.getSearch().getMode() == mode).toList();
    }

    @Test
    void includesThePatientAndTheEndpointOncePerPage() {
        Bundle page = ours().include(ImagingStudy.INCLUDE_PATIENT).include(ImagingStudy.INCLUDE_ENDPOINT).count(5).execute();
        Set<String> seen = new HashSet<>();
        int pages = 0;
        while (true) {
            pages++;
            R4Validator.assertValid(page);
            List<Bundle.BundleEntryComponent> matches = inMode(page, Bundle.SearchEntryMode.MATCH);
            assertThat(matches).allSatisfy(e -> assertThat(e.getResource()).isInstanceOf(ImagingStudy.class));
            matches.forEach(e -> assertThat(seen.add(e.getResource().getIdElement().getIdPart())).isTrue());
            List<String> included = inMode(page, Bundle.SearchEntryMode.INCLUDE).stream()
                    .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).toList();
            boolean anyAvailable = matches.stream().anyMatch(e -> !((ImagingStudy) e.getResource()).getEndpoint().isEmpty());
            assertThat(included).as("page %d", pages).containsExactlyInAnyOrderElementsOf(
                    anyAvailable ? List.of("Patient/" + PATIENT, "Endpoint/wado-rs") : List.of("Patient/" + PATIENT));
            assertThat(page.getEntry()).hasSize(matches.size() + included.size());
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = fhir.loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyInAnyOrderElementsOf(Studies.uids(studies));

        Bundle plain = ours().execute();
        assertThat(inMode(plain, Bundle.SearchEntryMode.INCLUDE)).isEmpty();
        Bundle reportOnly = search().where(ImagingStudy.IDENTIFIER.exactly().systemAndIdentifier(Fhir.DICOM_UID,
                "urn:oid:" + studies.stream().filter(s -> !s.withManifest()).findFirst().orElseThrow().uid()))
                .include(ImagingStudy.INCLUDE_ENDPOINT).execute();
        assertThat(inMode(reportOnly, Bundle.SearchEntryMode.INCLUDE)).isEmpty();
    }

    @Test
    void endpointParameterSelectsTheRetrievableStudies() {
        Bundle retrievable = ours().and(ImagingStudy.ENDPOINT.hasId("Endpoint/wado-rs")).execute();
        assertThat(ids(retrievable)).isEqualTo(expected(Studies.Study::withManifest));
        Bundle other = ours().and(ImagingStudy.ENDPOINT.hasId("Endpoint/elsewhere")).execute();
        assertThat(other.getTotal()).isZero();
    }

    @Test
    void summaryCountIsTheTotalWithoutEntries() {
        Bundle count = fhir.search().byUrl("ImagingStudy?patient=Patient/" + PATIENT + ourYears() + "&modality="
                + enc(Fhir.DCM + "|CT") + "&_summary=count").returnBundle(Bundle.class).execute();
        assertThat(count.getEntry()).isEmpty();
        assertThat(count.getTotal()).isEqualTo(expected(s -> s.modality().equals("CT")).size());
    }

    @Test
    void timelineIsEveryStudyOnceNewestFirstWithItsReports() {
        Bundle timeline = fhir.operation().onInstance(new org.hl7.fhir.r4.model.IdType("Patient", PATIENT)).named("$timeline")
                .withNoParameters(org.hl7.fhir.r4.model.Parameters.class).useHttpGet().returnResourceType(Bundle.class).execute();
        R4Validator.assertValid(timeline);
        assertThat(timeline.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);

        List<ImagingStudy> entries = timeline.getEntry().stream().map(e -> (ImagingStudy) e.getResource()).toList();
        assertThat(timeline.getTotal()).isEqualTo(entries.size());
        List<String> ids = entries.stream().map(s -> s.getIdElement().getIdPart()).toList();
        assertThat(ids).doesNotHaveDuplicates();
        // the same studies, in the same order, as the patient's whole ImagingStudy search
        Bundle all = search().where(byBsn()).count(200).execute();
        assertThat(ids).isEqualTo(ids(all));
        // ours, in our order, each with its one report
        assertThat(ids.stream().filter(Studies.uids(studies)::contains).toList()).isEqualTo(Studies.uids(studies));
        for (ImagingStudy study : entries) {
            assertThat(study.getSubject().getReference()).isEqualTo("Patient/" + PATIENT);
            if (Studies.uids(studies).contains(study.getIdElement().getIdPart())) {
                assertThat(study.getExtensionsByUrl("https://beeldbrug.nl/fhir/StructureDefinition/imagingstudy-report"))
                        .singleElement().satisfies(x -> assertThat(((org.hl7.fhir.r4.model.Reference) x.getValue()).getReference())
                                .startsWith("DocumentReference/"));
            }
        }

        assertThat(Fhir.get(gateway, "Patient/" + Patients.validButUnknown() + "/$timeline").status()).isEqualTo(404);
        Fhir.Raw invalid = Fhir.get(gateway, "Patient/" + Patients.invalid() + "/$timeline");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.body()).doesNotContain(Patients.invalid());
    }

    @Test
    void openApiDescribesTheFace() throws Exception {
        Fhir.Raw docs = Fhir.get(gateway, "api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("application/json");
        com.fasterxml.jackson.databind.JsonNode api = new com.fasterxml.jackson.databind.ObjectMapper().readTree(docs.body());
        assertThat(api.path("openapi").asText()).startsWith("3.");
        List<String> paths = new ArrayList<>();
        api.path("paths").fieldNames().forEachRemaining(paths::add);
        assertThat(paths).contains("/ImagingStudy", "/ImagingStudy/{id}", "/Patient/{id}", "/Endpoint/{id}");
        assertThat(paths).anyMatch(p -> p.contains("$timeline"));
        List<String> studyParameters = new ArrayList<>();
        api.path("paths").path("/ImagingStudy").path("get").path("parameters").forEach(p -> studyParameters.add(p.path("name").asText()));
        assertThat(studyParameters).contains("patient", "identifier", "modality", "bodysite", "started", "status", "endpoint", "_include");
    }

    // ------------------------------------------------------------------ Patient, Organization, Endpoint

    @Test
    void patientByBsnIdentifierAndRead() {
        Bundle bundle = fhir.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(Fhir.BSN, PATIENT)).returnBundle(Bundle.class).execute();
        assertThat(bundle.getTotal()).isEqualTo(1);
        assertThat(bundle.getEntry()).hasSize(1);
        Patient found = (Patient) bundle.getEntryFirstRep().getResource();
        R4Validator.assertValid(found);
        assertThat(found.getIdElement().getIdPart()).isEqualTo(PATIENT);
        assertThat(found.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue)
                .contains(tuple(Fhir.BSN, PATIENT));

        Patient read = fhir.read().resource(Patient.class).withId(PATIENT).execute();
        R4Validator.assertValid(read);
        assertThat(read.getIdentifier()).extracting(Identifier::getValue).contains(PATIENT);

        Bundle unknown = fhir.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndIdentifier(Fhir.BSN, Patients.validButUnknown())).returnBundle(Bundle.class).execute();
        assertThat(unknown.getTotal()).isZero();
    }

    @Test
    void organizationByUraAndRead() {
        Bundle bundle = fhir.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndIdentifier(Fhir.URA, "12000001")).returnBundle(Bundle.class).execute();
        assertThat(bundle.getTotal()).isEqualTo(1);
        Organization found = (Organization) bundle.getEntryFirstRep().getResource();
        R4Validator.assertValid(found);
        assertThat(found.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue)
                .contains(tuple(Fhir.URA, "12000001"));
        assertThat(found.getName()).isEqualTo("Ziekenhuis Amstelland (demo)");

        Organization read = fhir.read().resource(Organization.class).withId(found.getIdElement().getIdPart()).execute();
        R4Validator.assertValid(read);
        assertThat(read.getName()).isEqualTo(found.getName());
    }

    @Test
    void endpointRead() {
        Endpoint endpoint = fhir.read().resource(Endpoint.class).withId("wado-rs").execute();
        R4Validator.assertValid(endpoint);
        assertThat(endpoint.getConnectionType().getCode()).isEqualTo("dicom-wado-rs");
        assertThat(endpoint.getAddress()).startsWith("http");
        assertThat(endpoint.getStatus()).isEqualTo(Endpoint.EndpointStatus.ACTIVE);
    }

    @Test
    void capabilityStatementListsWhatIsServed() {
        CapabilityStatement capabilities = fhir.capabilities().ofType(CapabilityStatement.class).execute();
        R4Validator.assertValid(capabilities);
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        CapabilityStatement.CapabilityStatementRestResourceComponent imagingStudy = capabilities.getRestFirstRep().getResource()
                .stream().filter(r -> r.getType().equals("ImagingStudy")).findFirst().orElseThrow();
        assertThat(imagingStudy.getSearchParam()).extracting(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName)
                .contains("patient", "identifier", "modality", "bodysite", "started", "status");
        assertThat(capabilities.getRestFirstRep().getResource()).extracting(r -> r.getType())
                .contains("ImagingStudy", "Patient", "Organization", "Endpoint");
    }
}
