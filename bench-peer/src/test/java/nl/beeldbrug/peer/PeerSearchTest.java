package nl.beeldbrug.peer;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer on an embedded PostgreSQL (loopback): creates its database and schema, takes the corpus's transaction
 * bundles (client ids p&lt;n&gt; and 2.25 Study UIDs) and answers the benchmark's ImagingStudy searches — by
 * {@code patient=}, by the chained {@code patient.identifier=}, each with modality and started — with exactly the
 * studies the corpus says.
 */
class PeerSearchTest {

    private static final Pattern ID = Pattern.compile("\"resourceType\":\"ImagingStudy\",\"id\":\"([^\"]+)\"");
    private static EmbeddedPostgres postgres;
    private static PeerMain peer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final TinyCorpus CORPUS = new TinyCorpus(7, 12, 6);

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/peer";
        peer = PeerMain.start(new PeerSettings(0, url, "postgres", "", 4));
        assertEquals(200, post(TinyCorpus.organizations(3)).statusCode());
        HttpResponse<String> loaded = post(CORPUS.bundle());
        assertEquals(200, loaded.statusCode(), loaded.body());
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void answersTheThreeSearchFormsWithExactlyTheCorpusStudies() throws Exception {
        int checked = 0;
        for (TinyCorpus.Study chosen : CORPUS.studies) {
            LocalDate from = chosen.started().atZoneSameInstant(ZoneOffset.UTC).toLocalDate().minusDays(400);
            Set<String> expected = CORPUS.studies.stream()
                    .filter(s -> s.patient() == chosen.patient() && s.modality().equals(chosen.modality())
                            && !s.started().toInstant().isBefore(from.atStartOfDay(ZoneOffset.UTC).toInstant()))
                    .map(TinyCorpus.Study::uid).collect(Collectors.toCollection(TreeSet::new));
            String filters = "&modality=" + enc(TinyCorpus.DCM + "|" + chosen.modality()) + "&started=ge" + from;
            assertEquals(expected, ids("ImagingStudy?patient=Patient/p" + chosen.patient() + filters));
            assertEquals(expected, ids("ImagingStudy?patient.identifier=" + enc(TinyCorpus.BSN + "|" + TinyCorpus.bsn(chosen.patient()))
                    + filters));
            checked++;
        }
        assertEquals(CORPUS.studies.size(), checked);
        for (int p = 0; p < CORPUS.patients; p++) {
            int patient = p;
            Set<String> all = CORPUS.studies.stream().filter(s -> s.patient() == patient).map(TinyCorpus.Study::uid)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(all, ids("ImagingStudy?patient=Patient/p" + p + "&_count=100"));
        }
    }

    @Test
    void servesTheCapabilityStatementOnLoopbackOnly() throws Exception {
        assertTrue(peer.base().startsWith("http://127.0.0.1:"));
        HttpResponse<String> metadata = HTTP.send(HttpRequest.newBuilder(URI.create(peer.base() + "/metadata")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, metadata.statusCode());
        assertTrue(metadata.body().contains("\"CapabilityStatement\""));
        assertFalse(ids("ImagingStudy?patient=Patient/p0").isEmpty());
    }

    @Test
    void readsAStudyAndAPatientByTheirClientIds() throws Exception {
        TinyCorpus.Study study = CORPUS.studies.get(3);
        HttpResponse<String> read = get("ImagingStudy/" + study.uid());
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("\"id\":\"" + study.uid() + "\""));
        HttpResponse<String> patient = get("Patient/p" + study.patient());
        assertEquals(200, patient.statusCode(), patient.body());
        assertTrue(patient.body().contains(TinyCorpus.bsn(study.patient())));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(peer.base() + "/" + path)).header("Accept", "application/fhir+json")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Set<String> ids(String query) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(peer.base() + "/" + query))
                .header("Accept", "application/fhir+json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), query + ": " + r.body());
        Set<String> ids = new TreeSet<>();
        Matcher m = ID.matcher(r.body());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static HttpResponse<String> post(String bundle) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(peer.base()))
                .header("Content-Type", "application/fhir+json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(bundle, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
