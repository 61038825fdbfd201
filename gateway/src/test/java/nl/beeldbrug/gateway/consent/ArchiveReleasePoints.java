package nl.beeldbrug.gateway.consent;

import nl.beeldbrug.registry.consent.DataClass;
import org.apache.camel.ProducerTemplate;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveImagingDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveSeries;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveStudy;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.openehealth.ipf.platform.camel.ihe.ws.AbstractWsEndpoint;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The release points that hand out images from the source archive ({@link LeakArchive}): WADO-RS at {@code /dicomweb}
 * (study, series, instance and their metadata; RAD-107) and RAD-69 Retrieve Imaging Document Set (IPF's producer,
 * SOAP over loopback, the token as an HTTP header). A permitted study brings exactly its instance; a denied one is
 * answered exactly like a study that was never registered (WADO-RS: status, content type and body; RAD-69: status
 * and error list, also when it is asked for next to permitted studies).
 */
final class ArchiveReleasePoints {

    private static final String[] WADO_VARIANTS = {"", "/series/{series}", "/series/{series}/instances/{sop}", "/metadata",
            "/series/{series}/metadata", "/series/{series}/instances/{sop}/metadata"};

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final ProducerTemplate producer;
    private final String hostPort;
    private final LeakArchive archive;
    private final Map<String, String> absent = new ConcurrentHashMap<>();

    /** @param hostPort the gateway's {@code host:port} */
    ArchiveReleasePoints(String hostPort, ProducerTemplate producer, LeakArchive archive) {
        this.base = "http://" + hostPort;
        this.hostPort = hostPort;
        this.producer = producer;
        this.archive = archive;
    }

    List<ReleasePoint> all() {
        return List.of(ReleasePoint.of("wado WADO-RS retrieve", 1, this::wado),
                ReleasePoint.of("wado RAD-69 retrieve", 1, this::rad69));
    }

    // ------------------------------------------------------------------------------------------------ WADO-RS

    private String wado(ReleasePoint.Case c, String name) throws Exception {
        LeakWorld.Study study = pickStudy(c);
        if (study == null) {
            return null;
        }
        String variant = WADO_VARIANTS[c.random().nextInt(WADO_VARIANTS.length)];
        boolean metadata = variant.endsWith("/metadata");
        boolean permitted = c.oracle().permits(c.requester(), study, DataClass.IMAGING_STUDY);
        c.tally().verdict(name, permitted);
        LeakArchive.Instance instance = archive.instanceOf(study);
        String path = "/dicomweb/studies/" + study.uid() + variant.replace("{series}", instance.seriesUid())
                .replace("{sop}", instance.sopUid());
        HttpResponse<byte[]> response = get(c, path);
        String body = new String(response.body(), StandardCharsets.ISO_8859_1);
        if (permitted) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean ok = response.statusCode() == 200 && body.contains(instance.sopUid()) && body.contains(study.uid())
                    && (metadata ? type.startsWith("application/dicom+json") : type.startsWith("multipart/related"));
            return ok ? null : path + ": " + response.statusCode() + " " + type + " for a permitted study";
        }
        if (body.contains(instance.sopUid()) || body.contains(instance.seriesUid())) {
            return path + ": a denied study's instance in the answer";
        }
        String unknown = "2.25.4711" + c.random().nextInt(1_000_000_000);
        String expected = absent.computeIfAbsent(variant, v -> {
            try {
                return answer(get(c, "/dicomweb/studies/" + unknown + v.replace("{series}", instance.seriesUid())
                        .replace("{sop}", instance.sopUid())), unknown);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String actual = answer(response, study.uid());
        return expected.equals(actual) ? null : path + ": denied study answered " + actual + ", an unknown one " + expected;
    }

    private static String answer(HttpResponse<byte[]> response, String studyUid) {
        return response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + " "
                + new String(response.body(), StandardCharsets.UTF_8).replace(studyUid, "{id}");
    }

    private HttpResponse<byte[]> get(ReleasePoint.Case c, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", c.requester().authorization())
                .timeout(Duration.ofSeconds(60)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    // ------------------------------------------------------------------------------------------------ RAD-69

    /** One to three studies in one request (of the case's patient; one in five of anyone), in request order. */
    private String rad69(ReleasePoint.Case c, String name) throws Exception {
        Set<LeakWorld.Study> studies = new LinkedHashSet<>();
        int n = 1 + c.random().nextInt(3);
        for (int i = 0; i < n; i++) {
            LeakWorld.Study study = pickStudy(c);
            if (study != null) {
                studies.add(study);
            }
        }
        if (studies.isEmpty()) {
            return null;
        }
        RetrieveImagingDocumentSet request = new RetrieveImagingDocumentSet();
        List<String> expectedDocuments = new ArrayList<>();
        List<String> deniedSops = new ArrayList<>();
        for (LeakWorld.Study study : studies) {
            LeakArchive.Instance instance = archive.instanceOf(study);
            boolean permitted = c.oracle().permits(c.requester(), study, DataClass.IMAGING_STUDY);
            c.tally().verdict(name, permitted);
            (permitted ? expectedDocuments : deniedSops).add(instance.sopUid());
            request.getRetrieveStudies().add(new RetrieveStudy(study.uid(), List.of(new RetrieveSeries(instance.seriesUid(),
                    List.of(new DocumentReference("1.2.3.4.5", instance.sopUid(), null))))));
        }
        request.getTransferSyntaxIds().addAll(List.of("1.2.840.10008.1.2.1", "1.2.840.10008.1.2"));
        RetrievedDocumentSet answer = rad69(c, request);

        List<String> documents = new ArrayList<>();
        for (RetrievedDocument document : answer.getDocuments()) {
            documents.add(document.getRequestData().getDocumentUniqueId());
            try (InputStream in = document.getDataHandler().getInputStream()) {
                if (!new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(document.getRequestData().getDocumentUniqueId())) {
                    return "RAD-69: the instance of " + document.getRequestData().getDocumentUniqueId() + " is not in its attachment";
                }
            }
        }
        if (!documents.equals(expectedDocuments)) {
            return "RAD-69: instances " + documents + ", oracle " + expectedDocuments;
        }
        String template = absentError(c);
        List<String> expectedErrors = deniedSops.stream().map(sop -> template.replace("{id}", sop)).toList();
        List<String> errors = answer.getErrors().stream().map(ArchiveReleasePoints::describe).toList();
        Status status = deniedSops.isEmpty() ? Status.SUCCESS : expectedDocuments.isEmpty() ? Status.FAILURE : Status.PARTIAL_SUCCESS;
        if (!errors.equals(expectedErrors) || answer.getStatus() != status) {
            return "RAD-69: " + answer.getStatus() + " " + errors + ", as if the denied studies were absent " + status + " " + expectedErrors;
        }
        return null;
    }

    /** The error of one instance of a study that was never registered, with its SOP Instance UID as {@code {id}}. */
    private String absentError(ReleasePoint.Case c) {
        return absent.computeIfAbsent("rad69", k -> {
            String sop = "2.25.4712" + c.random().nextInt(1_000_000_000);
            RetrieveImagingDocumentSet request = new RetrieveImagingDocumentSet();
            request.getRetrieveStudies().add(new RetrieveStudy("2.25.4711" + c.random().nextInt(1_000_000_000),
                    List.of(new RetrieveSeries("2.25.4713", List.of(new DocumentReference("1.2.3.4.5", sop, null))))));
            request.getTransferSyntaxIds().add("1.2.840.10008.1.2.1");
            RetrievedDocumentSet answer = rad69(c, request);
            if (answer.getErrors().size() != 1 || answer.getStatus() != Status.FAILURE || !answer.getDocuments().isEmpty()) {
                throw new IllegalStateException("RAD-69 of an unknown study: " + answer.getStatus() + " " + answer.getErrors());
            }
            return describe(answer.getErrors().get(0)).replace(sop, "{id}");
        });
    }

    private static String describe(ErrorInfo error) {
        return "[" + error.getErrorCode() + " " + error.getCustomErrorCode() + " " + error.getSeverity() + " "
                + error.getCodeContext() + " " + error.getLocation() + "]";
    }

    private RetrievedDocumentSet rad69(ReleasePoint.Case c, RetrieveImagingDocumentSet request) {
        return producer.requestBodyAndHeader("xdsi-rad69://" + hostPort + "/services/imaging/rad69?audit=false", request,
                AbstractWsEndpoint.OUTGOING_HTTP_HEADERS, Map.of("Authorization", c.requester().authorization()),
                RetrievedDocumentSet.class);
    }

    /** A study of the case's patient, or (one in five) of anyone; null when there is none. */
    private static LeakWorld.Study pickStudy(ReleasePoint.Case c) {
        List<LeakWorld.Study> own = c.oracle().world().studiesOf(c.patient());
        List<LeakWorld.Study> from = own.isEmpty() || c.random().nextInt(5) == 0 ? c.oracle().world().studies : own;
        return from.isEmpty() ? null : from.get(c.random().nextInt(from.size()));
    }
}
