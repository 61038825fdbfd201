package nl.beeldbrug.conformance.fhir;

import nl.beeldbrug.conformance.support.Fhir;
import nl.beeldbrug.conformance.support.Gateway;
import nl.beeldbrug.conformance.support.Patients;
import nl.beeldbrug.conformance.support.SharedGateway;
import nl.beeldbrug.conformance.support.Submission;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the FHIR face answers to requests it cannot serve, over raw HTTP: a bad parameter value is 400
 * with an OperationOutcome naming the parameter (and not echoing the value), an unknown id 404, a
 * write 405, an oversized body 413 — each an error, never a 200 or a 500, and the gateway still ready.
 */
@ExtendWith(SharedGateway.class)
class FhirErrorsIT {

    private static final String PATIENT = Patients.demo(13);

    private static Gateway gateway;

    @BeforeAll
    static void setUp(Gateway shared) {
        gateway = shared;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void assertOutcome(Fhir.Raw raw, int status) {
        assertThat(raw.status()).as("HTTP status; body %s", raw.body()).isEqualTo(status);
        assertThat(raw.contentType()).startsWith("application/fhir+json");
        OperationOutcome outcome = raw.outcome();
        assertThat(outcome.getIssue()).isNotEmpty();
        assertThat(outcome.getIssueFirstRep().getSeverity()).isIn(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueSeverity.FATAL);
    }

    /** {0}: the query after {@code ImagingStudy?patient=Patient/<bsn>&}; {1}: the parameter the answer must name; {2}: the bad value it must not echo. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = ';', value = {
            "modality=http://example.org/modality|CT; modality; example.org",
            "modality:text=CT; modality; ",
            "bodysite=http://loinc.org|51185008; bodysite; loinc",
            "status=reviewed; status; reviewed",
            "status=http://example.org|available; status; example.org",
            "started=ne1995-01-01; started; ",
            "_sort=started; _sort; ",
            "_sort=-patient; _sort; ",
            "_count=100000; _count; 100000",
            "_offset=-5; _offset; -5",
            "identifier=http://example.org/ids|4711; identifier; example.org",
            "identifier=urn:dicom:uid|2.25.1; identifier; 2.25.1",
    })
    void invalidValueIs400NamingTheParameter(String query, String parameter, String value) {
        String[] pair = query.split("=", 2);
        Fhir.Raw raw = Fhir.get(gateway, "ImagingStudy?patient=Patient/" + PATIENT + "&" + pair[0] + "=" + enc(pair[1]));

        assertOutcome(raw, 400);
        assertThat(raw.diagnostics()).startsWith(parameter + ":");
        if (value != null && !value.isBlank()) {
            assertThat(raw.diagnostics()).doesNotContain(value);
        }
    }

    @Test
    void invalidPatientIs400NamingPatientWithoutEchoingTheNumber() {
        String invalid = Patients.invalid();
        for (String query : new String[] {
                "patient=Patient/" + invalid,
                "patient=" + invalid,
                "patient.identifier=" + enc(Fhir.BSN + "|" + invalid),
                "patient.identifier=" + enc("urn:oid:2.16.528.1.1007.3.3.12000001.2|" + PATIENT),
                "patient=Organization/12000001",
                "patient.name=Jansen"}) {
            Fhir.Raw raw = Fhir.get(gateway, "ImagingStudy?" + query);
            assertOutcome(raw, 400);
            assertThat(raw.diagnostics()).as(query).contains("patient");
            assertThat(raw.body()).as(query).doesNotContain(invalid);
        }
    }

    @Test
    void aSearchMustNameAPatientOrAStudy() {
        for (String query : new String[] {"", "modality=" + enc(Fhir.DCM + "|CT"), "started=ge2020-01-01", "status=available"}) {
            Fhir.Raw raw = Fhir.get(gateway, "ImagingStudy?" + query);
            assertOutcome(raw, 400);
            assertThat(raw.diagnostics()).as(query).contains("patient or identifier");
        }
    }

    /** Values HAPI's own parsing would reject, unknown parameters and modifiers: 400 naming the parameter. */
    @Test
    void malformedValuesAndUnknownParametersAre400NamingThem() {
        String patient = "ImagingStudy?patient=Patient/" + PATIENT + "&";
        String[][] cases = {
                {patient + "started=yesterday", "started"},
                {patient + "started=ge2020-13-45", "started"},
                {patient + "started=ap1995-01-01", "started"},
                {patient + "_count=many", "_count"},
                {patient + "foo=bar", "foo"},
                {patient + "_lastUpdated=gt2020-01-01", "_lastUpdated"},
                {patient + "_revinclude=" + enc("Provenance:target"), "_revinclude"},
                {patient + "_include=" + enc("ImagingStudy:performer"), "_include"},
                {patient + "endpoint=Patient/" + PATIENT, "endpoint"},
                {"ImagingStudy/" + Submission.uid() + "?foo=bar", "foo"},
                {"Patient?identifier=" + enc(Fhir.BSN + "|" + Patients.invalid()), "identifier"},
                {"Patient?identifier=" + enc("http://example.org|1"), "identifier"},
                {"Patient?identifier=" + enc(Fhir.BSN + "|" + PATIENT) + "&name=Jansen", "name"},
                {"Organization?identifier=" + enc("http://example.org|1"), "identifier"},
                {"Endpoint/wado-rs?_format=yaml", "_format"},
                {"Patient/" + PATIENT + "/$timeline?since=2020", "since"}};
        for (String[] c : cases) {
            Fhir.Raw raw = Fhir.get(gateway, c[0]);
            assertOutcome(raw, 400);
            assertThat(raw.diagnostics()).as(c[0]).startsWith(c[1] + ":");
        }
        assertThat(Fhir.get(gateway, "Patient?identifier=" + enc(Fhir.BSN + "|" + Patients.invalid())).body())
                .doesNotContain(Patients.invalid());
    }

    @Test
    void unknownIdsAre404() {
        for (String path : new String[] {
                "ImagingStudy/" + Submission.uid(),
                "Patient/" + Patients.validButUnknown(),
                "Organization/99999999",
                "Endpoint/not-there",
                "DiagnosticReport/1"}) {
            assertOutcome(Fhir.get(gateway, path), 404);
        }
    }

    @Test
    void writesAre405() {
        byte[] study = ("{\"resourceType\":\"ImagingStudy\",\"status\":\"available\",\"subject\":{\"reference\":\"Patient/"
                + PATIENT + "\"}}").getBytes(StandardCharsets.UTF_8);
        byte[] patient = "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8);
        assertOutcome(Fhir.send(gateway, "POST", "ImagingStudy", "application/fhir+json", study), 405);
        assertOutcome(Fhir.send(gateway, "PUT", "ImagingStudy/" + Submission.uid(), "application/fhir+json", study), 405);
        assertOutcome(Fhir.send(gateway, "DELETE", "ImagingStudy/" + Submission.uid(), null, null), 405);
        assertOutcome(Fhir.send(gateway, "PATCH", "ImagingStudy/" + Submission.uid(), "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"cancelled\"}]".getBytes(StandardCharsets.UTF_8)), 405);
        assertOutcome(Fhir.send(gateway, "POST", "Patient", "application/fhir+json", patient), 405);
        assertOutcome(Fhir.send(gateway, "PUT", "Patient/" + PATIENT, "application/fhir+json", patient), 405);
        assertOutcome(Fhir.send(gateway, "DELETE", "Organization/12000001", null, null), 405);
        assertOutcome(Fhir.send(gateway, "DELETE", "Endpoint/wado-rs", null, null), 405);
    }

    @Test
    void oversizedBodyIs413AndTheGatewayStaysReady() {
        byte[] body = new byte[SharedGateway.MAX_REQUEST_BYTES + 1];
        Arrays.fill(body, (byte) 'a');
        Fhir.Raw raw = Fhir.send(gateway, "POST", "ImagingStudy/_search", "application/x-www-form-urlencoded", body);
        assertThat(raw.status()).isEqualTo(413);
        raw = Fhir.send(gateway, "POST", "", "application/fhir+json", body);
        assertThat(raw.status()).isEqualTo(413);
        assertThat(gateway.isReady()).isTrue();
        assertThat(Fhir.get(gateway, "metadata").status()).isEqualTo(200);
    }
}
