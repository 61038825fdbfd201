package nl.beeldbrug.gateway.consent;

import ca.uhn.fhir.context.FhirContext;
import nl.beeldbrug.registry.consent.DataClass;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.ImagingStudy;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The FHIR release points over raw HTTP on loopback: ImagingStudy search (plain, by modality, with
 * {@code _include=ImagingStudy:patient}, paged through its next links, {@code _summary=count}, {@code _revinclude=DocumentReference:related}), ImagingStudy read, Patient read
 * and {@code $timeline}, MHD ITI-67 DocumentReference search and read, MHD ITI-68 Binary retrieve, MHD ITI-66 List
 * (submission set) search and read.
 */
final class FhirReleasePoints {

    private static final String BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final LeakWorld world;
    /** The answer to a read of an id that never existed, per resource type (with the id replaced by {@code {id}}). */
    private final Map<String, Answer> absent = new ConcurrentHashMap<>();

    FhirReleasePoints(String base, LeakWorld world) {
        this.base = base;
        this.world = world;
    }

    record Answer(int status, String body) {
    }

    List<ReleasePoint> all() {
        return List.of(
                point("fhir ImagingStudy search", this::studySearch),
                point("fhir ImagingStudy search paged", this::studySearchPaged),
                point("fhir ImagingStudy _summary=count", this::studyCount),
                point("fhir ImagingStudy _revinclude", this::studyRevinclude),
                point("fhir ImagingStudy read", this::studyRead),
                point("fhir Patient $timeline", this::timeline),
                point("fhir Patient read", this::patientRead),
                point("mhd ITI-67 DocumentReference search", this::documentSearch),
                point("mhd DocumentReference read", this::documentRead),
                point("mhd ITI-68 Binary retrieve", this::binaryRetrieve),
                point("mhd ITI-66 List search", this::listSearch),
                point("mhd List read", this::listRead));
    }

    private interface Check {
        String check(ReleasePoint.Case c, String name) throws Exception;
    }

    private static ReleasePoint point(String name, Check check) {
        return new ReleasePoint() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String check(Case c) throws Exception {
                return check.check(c, name);
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ oracle views

    /** The studies of the case's patient the requester may see as ImagingStudy, optionally of one modality. */
    private static List<LeakWorld.Study> visibleStudies(ReleasePoint.Case c, String name, String modality) {
        List<LeakWorld.Study> visible = new ArrayList<>();
        for (LeakWorld.Study study : c.oracle().world().studiesOf(c.patient())) {
            if (modality != null && !modality.equals(study.modality())) {
                continue;
            }
            boolean permitted = c.oracle().studyVisible(c.requester(), study);
            c.tally().verdict(name, permitted);
            if (permitted) {
                visible.add(study);
            }
        }
        return visible;
    }

    private static Set<String> uids(List<LeakWorld.Study> studies) {
        Set<String> ids = new TreeSet<>();
        studies.forEach(s -> ids.add(s.uid()));
        return ids;
    }

    /** Ids of the documents the requester may see as DocumentReference, of the given studies. */
    private static Set<String> visibleDocuments(ReleasePoint.Case c, String name, List<LeakWorld.Study> studies) {
        Set<String> ids = new TreeSet<>();
        for (LeakWorld.Study study : studies) {
            for (LeakWorld.Document document : study.documents()) {
                boolean permitted = c.oracle().permits(c.requester(), study, document);
                c.tally().verdict(name, permitted);
                if (permitted) {
                    ids.add(documentId(document));
                }
            }
        }
        return ids;
    }

    static String documentId(LeakWorld.Document document) {
        return document.entryUuid().startsWith("urn:uuid:") ? document.entryUuid().substring(9) : document.entryUuid();
    }

    // ------------------------------------------------------------------------------------------------ checks

    private String studySearch(ReleasePoint.Case c, String name) throws Exception {
        String modality = c.random().nextInt(3) == 0 ? List.of("CT", "MR", "US", "CR").get(c.random().nextInt(4)) : null;
        boolean includePatient = c.random().nextBoolean();
        String query = "ImagingStudy?patient.identifier=" + enc(BSN_SYSTEM + "|" + c.patient().value())
                + (modality == null ? "" : "&modality=" + modality) + (includePatient ? "&_include=ImagingStudy:patient" : "")
                + "&_count=50";
        List<LeakWorld.Study> expected = visibleStudies(c, name, modality);
        Bundle bundle = bundle(c, query);
        if (bundle == null) {
            return "HTTP error on " + query;
        }
        String studies = compare(query, uids(expected), expected.size(), ids(bundle, ImagingStudy.class), bundle.getTotal());
        Set<String> patients = ids(bundle, org.hl7.fhir.r4.model.Patient.class);
        Set<String> expectedPatients = includePatient && !expected.isEmpty() ? Set.of(c.patient().value()) : Set.of();
        return studies != null || patients.equals(expectedPatients) ? studies
                : query + ": included Patients " + patients + ", oracle " + expectedPatients;
    }

    private String studySearchPaged(ReleasePoint.Case c, String name) throws Exception {
        int count = 1 + c.random().nextInt(3);
        String query = "ImagingStudy?patient.identifier=" + enc(BSN_SYSTEM + "|" + c.patient().value()) + "&_count=" + count;
        List<LeakWorld.Study> expected = visibleStudies(c, name, null);
        List<String> seen = new ArrayList<>();
        String next = base + "/" + query;
        int pages = 0;
        while (next != null) {
            Bundle bundle = parse(get(c, next), Bundle.class);
            if (bundle == null) {
                return "HTTP error on page " + pages + " of " + query;
            }
            if (bundle.getTotal() != expected.size()) {
                return query + " page " + pages + ": total " + bundle.getTotal() + ", oracle " + expected.size();
            }
            if (bundle.getEntry().size() > count) {
                return query + " page " + pages + ": " + bundle.getEntry().size() + " entries";
            }
            seen.addAll(ids(bundle, ImagingStudy.class));
            next = bundle.getLink(Bundle.LINK_NEXT) == null ? null : bundle.getLink(Bundle.LINK_NEXT).getUrl();
            if (++pages > expected.size() + 2) {
                return query + ": more pages than studies";
            }
        }
        if (new HashSet<>(seen).size() != seen.size()) {
            return query + ": a study on two pages " + seen;
        }
        return compare(query, uids(expected), expected.size(), new TreeSet<>(seen), expected.size());
    }

    private String studyCount(ReleasePoint.Case c, String name) throws Exception {
        String query = "ImagingStudy?patient.identifier=" + enc(BSN_SYSTEM + "|" + c.patient().value()) + "&_summary=count";
        int expected = visibleStudies(c, name, null).size();
        Bundle bundle = bundle(c, query);
        if (bundle == null) {
            return "HTTP error on " + query;
        }
        return bundle.getTotal() == expected && bundle.getEntry().isEmpty() ? null
                : query + ": total " + bundle.getTotal() + " (" + bundle.getEntry().size() + " entries), oracle " + expected;
    }

    private String studyRevinclude(ReleasePoint.Case c, String name) throws Exception {
        String query = "ImagingStudy?patient.identifier=" + enc(BSN_SYSTEM + "|" + c.patient().value())
                + "&_revinclude=DocumentReference:related&_count=50";
        List<LeakWorld.Study> expected = visibleStudies(c, name, null);
        Set<String> expectedDocuments = visibleDocuments(c, name, expected);
        Bundle bundle = bundle(c, query);
        if (bundle == null) {
            return "HTTP error on " + query;
        }
        String studies = compare(query, uids(expected), expected.size(), ids(bundle, ImagingStudy.class), bundle.getTotal());
        if (studies != null) {
            return studies;
        }
        Set<String> documents = ids(bundle, DocumentReference.class);
        return documents.equals(expectedDocuments) ? null
                : query + ": DocumentReferences " + documents + ", oracle " + expectedDocuments;
    }

    private String studyRead(ReleasePoint.Case c, String name) throws Exception {
        LeakWorld.Study study = pickStudy(c);
        if (study == null) {
            return null;
        }
        boolean permitted = c.oracle().studyVisible(c.requester(), study);
        c.tally().verdict(name, permitted);
        return read(c, "ImagingStudy", study.uid(), permitted);
    }

    /** The timeline of a patient with nothing visible is the 404 of a BSN that was never registered. */
    private String timeline(ReleasePoint.Case c, String name) throws Exception {
        String path = "Patient/" + c.patient().value() + "/$timeline";
        List<LeakWorld.Study> expected = visibleStudies(c, name, null);
        if (expected.isEmpty()) {
            return sameAsAbsent(c, "Patient/{id}/$timeline", c.patient().value(), unknownBsn());
        }
        Bundle bundle = bundle(c, path);
        if (bundle == null) {
            return "HTTP error on " + path;
        }
        return compare(path, uids(expected), expected.size(), ids(bundle, ImagingStudy.class), bundle.getTotal());
    }

    private String patientRead(ReleasePoint.Case c, String name) throws Exception {
        boolean visible = c.oracle().patientVisible(c.requester(), c.patient());
        c.tally().verdict(name, visible);
        if (!visible) {
            return sameAsAbsent(c, "Patient/{id}", c.patient().value(), unknownBsn());
        }
        HttpResponse<String> response = get(c, base + "/Patient/" + c.patient().value());
        return response.statusCode() == 200 ? null : "Patient read: " + response.statusCode() + " for a visible patient";
    }

    /** A valid BSN that is never registered. */
    private String unknownBsn() {
        return world.unknownPatient.value();
    }

    private String documentSearch(ReleasePoint.Case c, String name) throws Exception {
        String query = "DocumentReference?patient.identifier=" + enc(BSN_SYSTEM + "|" + c.patient().value()) + "&_count=50";
        Set<String> expected = visibleDocuments(c, name, c.oracle().world().studiesOf(c.patient()));
        Bundle bundle = bundle(c, query);
        if (bundle == null) {
            return "HTTP error on " + query;
        }
        return compare(query, expected, expected.size(), ids(bundle, DocumentReference.class), bundle.getTotal());
    }

    private String documentRead(ReleasePoint.Case c, String name) throws Exception {
        LeakWorld.Study study = pickStudy(c);
        if (study == null) {
            return null;
        }
        LeakWorld.Document document = c.random().nextBoolean() ? study.manifest() : study.report();
        boolean permitted = c.oracle().permits(c.requester(), study, document);
        c.tally().verdict(name, permitted);
        return read(c, "DocumentReference", documentId(document), permitted);
    }

    private String binaryRetrieve(ReleasePoint.Case c, String name) throws Exception {
        LeakWorld.Study study = pickStudy(c);
        if (study == null) {
            return null;
        }
        boolean permitted = c.oracle().permits(c.requester(), study, DataClass.REPORT);
        c.tally().verdict(name, permitted);
        return read(c, "Binary", study.report().uniqueId(), permitted);
    }

    /**
     * ITI-66 Lists of the patient (all, or only submission sets): each generated submission set brought one document;
     * its List is there exactly when that document may be seen, naming just it.
     */
    private String listSearch(ReleasePoint.Case c, String name) throws Exception {
        String query = "List?patient.identifier=" + enc(BSN_SYSTEM + "|" + c.patient().value())
                + (c.random().nextBoolean() ? "&code=submissionset" : "") + "&_count=50";
        Map<String, Set<String>> expected = new java.util.TreeMap<>();
        for (LeakWorld.Study study : c.oracle().world().studiesOf(c.patient())) {
            for (LeakWorld.Document document : study.documents()) {
                boolean permitted = c.oracle().permits(c.requester(), study, document);
                c.tally().verdict(name, permitted);
                if (permitted) {
                    expected.computeIfAbsent(listId(document), k -> new TreeSet<>()).add("DocumentReference/" + documentId(document));
                }
            }
        }
        Bundle bundle = bundle(c, query);
        if (bundle == null) {
            return "HTTP error on " + query;
        }
        Map<String, Set<String>> actual = new java.util.TreeMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof org.hl7.fhir.r4.model.ListResource list) {
                actual.put(list.getIdElement().getIdPart(), members(list));
            }
        }
        if (!actual.equals(expected)) {
            return query + ": Lists " + actual + ", oracle " + expected;
        }
        return bundle.getTotal() == expected.size() ? null : query + ": total " + bundle.getTotal() + ", oracle " + expected.size();
    }

    /** A List read of the submission set of one document: that document alone when permitted, else an unknown id's 404. */
    private String listRead(ReleasePoint.Case c, String name) throws Exception {
        LeakWorld.Study study = pickStudy(c);
        if (study == null) {
            return null;
        }
        LeakWorld.Document document = c.random().nextBoolean() ? study.manifest() : study.report();
        boolean permitted = c.oracle().permits(c.requester(), study, document);
        c.tally().verdict(name, permitted);
        String id = listId(document);
        String problem = read(c, "List", id, permitted);
        if (problem != null || !permitted) {
            return problem;
        }
        org.hl7.fhir.r4.model.ListResource list = parse(get(c, base + "/List/" + id), org.hl7.fhir.r4.model.ListResource.class);
        Set<String> expected = Set.of("DocumentReference/" + documentId(document));
        return list != null && members(list).equals(expected) ? null
                : "List/" + id + ": members " + (list == null ? null : members(list)) + ", oracle " + expected;
    }

    private static Set<String> members(org.hl7.fhir.r4.model.ListResource list) {
        Set<String> members = new TreeSet<>();
        list.getEntry().forEach(e -> members.add(e.getItem().getReference()));
        return members;
    }

    private static String listId(LeakWorld.Document document) {
        String uuid = document.submissionSet();
        return uuid.startsWith("urn:uuid:") ? uuid.substring(9) : uuid;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** A study of the case's patient, or (one in five) of anyone; null when there is none. */
    private static LeakWorld.Study pickStudy(ReleasePoint.Case c) {
        List<LeakWorld.Study> own = c.oracle().world().studiesOf(c.patient());
        List<LeakWorld.Study> from = own.isEmpty() || c.random().nextInt(5) == 0 ? c.oracle().world().studies : own;
        return from.isEmpty() ? null : from.get(c.random().nextInt(from.size()));
    }

    /** A read: 200 with the resource when permitted, else exactly the answer to an id that never existed. */
    private String read(ReleasePoint.Case c, String type, String id, boolean permitted) throws Exception {
        HttpResponse<String> response = get(c, base + "/" + type + "/" + id);
        if (permitted) {
            return response.statusCode() == 200 ? null : type + "/" + id + ": " + response.statusCode() + " for a permitted read";
        }
        Answer expected = absent.computeIfAbsent(type, t -> absentAnswer(c, t));
        Answer actual = new Answer(response.statusCode(), response.body().replace(id, "{id}"));
        return expected.equals(actual) ? null
                : type + "/" + id + ": denied read answered " + actual.status() + " " + abbreviate(actual.body())
                + ", an absent one " + expected.status() + " " + abbreviate(expected.body());
    }

    /** {@code template} with {@code id}: answered exactly as with {@code absentId}, after blanking the id itself. */
    private String sameAsAbsent(ReleasePoint.Case c, String template, String id, String absentId) throws Exception {
        Answer expected = absent.computeIfAbsent(template, t -> {
            try {
                HttpResponse<String> response = get(c, base + "/" + t.replace("{id}", absentId));
                return new Answer(response.statusCode(), response.body().replace(absentId, "{id}"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        HttpResponse<String> response = get(c, base + "/" + template.replace("{id}", id));
        Answer actual = new Answer(response.statusCode(), response.body().replace(id, "{id}"));
        return expected.equals(actual) ? null
                : template.replace("{id}", id) + ": answered " + actual.status() + " " + abbreviate(actual.body())
                + ", for an unknown id " + expected.status() + " " + abbreviate(expected.body());
    }

    private Answer absentAnswer(ReleasePoint.Case c, String type) {
        String id = "Binary".equals(type) || "ImagingStudy".equals(type) ? "2.25.4711" + System.nanoTime() : java.util.UUID.randomUUID().toString();
        try {
            HttpResponse<String> response = get(c, base + "/" + type + "/" + id);
            return new Answer(response.statusCode(), response.body().replace(id, "{id}"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String compare(String query, Set<String> expected, int expectedTotal, Set<String> actual, int total) {
        if (!expected.equals(actual)) {
            Set<String> leaked = new TreeSet<>(actual);
            leaked.removeAll(expected);
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(actual);
            return query + ": released but denied " + leaked + ", permitted but missing " + missing;
        }
        return total == expectedTotal ? null : query + ": total " + total + ", oracle " + expectedTotal;
    }

    private static <T extends org.hl7.fhir.r4.model.Resource> Set<String> ids(Bundle bundle, Class<T> type) {
        Set<String> ids = new TreeSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (type.isInstance(entry.getResource())) {
                ids.add(entry.getResource().getIdElement().getIdPart());
            }
        }
        return ids;
    }

    private Bundle bundle(ReleasePoint.Case c, String query) throws Exception {
        return parse(get(c, base + "/" + query), Bundle.class);
    }

    private static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(HttpResponse<String> response, Class<T> type) {
        if (response.statusCode() != 200) {
            return null;
        }
        return FhirContext.forR4Cached().newJsonParser().parseResource(type, response.body());
    }

    private HttpResponse<String> get(ReleasePoint.Case c, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+json")
                .header("Authorization", Objects.requireNonNull(c.requester().authorization()))
                .timeout(Duration.ofSeconds(60)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
