package nl.beeldbrug.adapters.dicomweb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DICOMweb client (PS3.18): QIDO-RS search, WADO-RS retrieve (multipart/related, streamed part by part) and
 * metadata, STOW-RS store. One line per action:
 * <pre>
 * DicomWebClient web = DicomWebClient.of(URI.create("https://pacs.example/dicom-web/"));
 * List&lt;DicomJson&gt; studies = web.searchStudies(Map.of("PatientID", "PAT001"));
 * List&lt;Path&gt; files = web.retrieveStudy(studyUid, dir);
 * StowResult r = web.store(files);
 * </pre>
 */
public final class DicomWebClient {
    private static final Logger LOG = LoggerFactory.getLogger(DicomWebClient.class);
    /** Largest JSON answer accepted (QIDO, metadata, STOW response). */
    public static final int MAX_JSON_BYTES = 64 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                    .maxStringLength(16 * 1024 * 1024).build()).build());

    /** Receives one retrieved part; the stream is valid only during the call. */
    @FunctionalInterface
    public interface PartHandler {
        void part(String contentType, Map<String, String> headers, InputStream body) throws IOException;
    }

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Supplier<String> authorization;

    public DicomWebClient(URI base, HttpClient http, Duration timeout, Supplier<String> authorization) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.http = http;
        this.timeout = timeout;
        this.authorization = authorization;
    }

    public static DicomWebClient of(URI base) {
        return new DicomWebClient(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                Duration.ofMinutes(5), () -> null);
    }

    // ---- QIDO-RS ---------------------------------------------------------------------------------

    public List<DicomJson> searchStudies(Map<String, String> query) throws IOException {
        return search("studies", query);
    }

    public List<DicomJson> searchSeries(String studyUid, Map<String, String> query) throws IOException {
        return search("studies/" + uid(studyUid) + "/series", query);
    }

    public List<DicomJson> searchInstances(String studyUid, String seriesUid, Map<String, String> query)
            throws IOException {
        return search("studies/" + uid(studyUid) + "/series/" + uid(seriesUid) + "/instances", query);
    }

    private List<DicomJson> search(String path, Map<String, String> query) throws IOException {
        StringBuilder q = new StringBuilder();
        for (Map.Entry<String, String> e : query.entrySet()) {
            q.append(q.length() == 0 ? '?' : '&').append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        HttpResponse<InputStream> r = send(request(path + q).header("Accept", "application/dicom+json").GET());
        if (r.statusCode() == 204) {
            r.body().close();
            return List.of();
        }
        return jsonArray(r);
    }

    // ---- WADO-RS ---------------------------------------------------------------------------------

    public void retrieveStudy(String studyUid, PartHandler handler) throws IOException {
        retrieve("studies/" + uid(studyUid), handler);
    }

    public void retrieveSeries(String studyUid, String seriesUid, PartHandler handler) throws IOException {
        retrieve("studies/" + uid(studyUid) + "/series/" + uid(seriesUid), handler);
    }

    public void retrieveInstance(String studyUid, String seriesUid, String sopUid, PartHandler handler)
            throws IOException {
        retrieve("studies/" + uid(studyUid) + "/series/" + uid(seriesUid) + "/instances/" + uid(sopUid), handler);
    }

    /** Retrieves a study as PS3.10 files written to {@code dir} (streamed to disk part by part). */
    public List<Path> retrieveStudy(String studyUid, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        retrieveStudy(studyUid, (type, headers, body) -> {
            Path f = Files.createTempFile(dir, "wado", ".dcm");
            try (OutputStream out = Files.newOutputStream(f)) {
                body.transferTo(out);
            }
            files.add(f);
        });
        return files;
    }

    public List<DicomJson> retrieveStudyMetadata(String studyUid) throws IOException {
        return jsonArray(send(request("studies/" + uid(studyUid) + "/metadata")
                .header("Accept", "application/dicom+json").GET()));
    }

    public List<DicomJson> retrieveSeriesMetadata(String studyUid, String seriesUid) throws IOException {
        return jsonArray(send(request("studies/" + uid(studyUid) + "/series/" + uid(seriesUid) + "/metadata")
                .header("Accept", "application/dicom+json").GET()));
    }

    private void retrieve(String path, PartHandler handler) throws IOException {
        HttpResponse<InputStream> r = send(request(path)
                .header("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*").GET());
        try (InputStream body = r.body()) {
            String ct = r.headers().firstValue("Content-Type").orElse("");
            if (!ct.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/related")) {
                throw new IOException("WADO-RS answered " + ct + " instead of multipart/related");
            }
            MultipartReader reader = new MultipartReader(body, MultipartReader.boundary(ct));
            MultipartReader.Part p;
            while ((p = reader.next()) != null) {
                handler.part(p.contentType(), p.headers(), p.body());
            }
        }
    }

    // ---- STOW-RS ---------------------------------------------------------------------------------

    /** Stores PS3.10 files in one multipart/related request; the body is streamed from the files. */
    public StowResult store(List<Path> files) throws IOException {
        return store(null, files);
    }

    public StowResult store(String studyUid, List<Path> files) throws IOException {
        String boundary = "beeldbrug-" + UUID.randomUUID();
        long length = 0;
        for (Path f : files) {
            length += partHead(boundary).length + Files.size(f);
        }
        length += tail(boundary).length;
        // the body is built afresh for every subscription, so a retried request streams the files again
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> stowBody(boundary, files)), length);
        String path = studyUid == null ? "studies" : "studies/" + uid(studyUid);
        HttpRequest.Builder request = request(path)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json").POST(body);
        HttpResponse<InputStream> r;
        try {
            r = sendAllowingFailure(request);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("no bytes")) {
                throw e;
            }
            // the server closed a kept-alive connection before answering: nothing was stored, send once more
            r = sendAllowingFailure(request);
        }
        List<String> stored = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        JsonNode n = readJson(r.body());
        if (n != null && n.isObject()) {
            DicomJson resp = new DicomJson(n);
            resp.sequence(0x00081199).forEach(i -> stored.add(i.string(0x00081155)));
            resp.sequence(0x00081198).forEach(i -> failed.add(i.string(0x00081155)));
        }
        LOG.info("STOW-RS {} instances: HTTP {}, {} stored, {} failed", files.size(), r.statusCode(), stored.size(),
                failed.size());
        return new StowResult(r.statusCode(), stored, failed);
    }

    // ---- plumbing --------------------------------------------------------------------------------

    private static byte[] partHead(String boundary) {
        return ("\r\n--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] tail(String boundary) {
        return ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static InputStream stowBody(String boundary, List<Path> files) {
        List<InputStream> parts = new ArrayList<>();
        for (Path f : files) {
            parts.add(new ByteArrayInputStream(partHead(boundary)));
            parts.add(new LazyFileStream(f));
        }
        parts.add(new ByteArrayInputStream(tail(boundary)));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        String auth = authorization.get();
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return b;
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder b) throws IOException {
        HttpResponse<InputStream> r;
        try {
            r = sendAllowingFailure(b);
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("no bytes")) {
                throw e;
            }
            r = sendAllowingFailure(b); // GETs only: a kept-alive connection closed by the server, retry once
        }
        if (r.statusCode() / 100 != 2) {
            r.body().close();
            throw new DicomWebException(r.statusCode(), r.request().method() + " " + r.request().uri());
        }
        return r;
    }

    private HttpResponse<InputStream> sendAllowingFailure(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    private static List<DicomJson> jsonArray(HttpResponse<InputStream> r) throws IOException {
        JsonNode n = readJson(r.body());
        List<DicomJson> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!n.isArray()) {
            throw new IOException("expected a JSON array of data sets");
        }
        n.forEach(e -> out.add(new DicomJson(e)));
        return out;
    }

    private static JsonNode readJson(InputStream body) throws IOException {
        try (InputStream in = body) {
            byte[] b = in.readNBytes(MAX_JSON_BYTES + 1);
            if (b.length > MAX_JSON_BYTES) {
                throw new IOException("JSON answer larger than " + MAX_JSON_BYTES + " bytes");
            }
            return b.length == 0 ? null : JSON.readTree(b);
        }
    }

    private static String uid(String uid) {
        if (uid == null || !uid.matches("[0-9.]{1,64}")) {
            throw new IllegalArgumentException("not a UID: " + uid);
        }
        return uid;
    }

    /** Opens the file only when the request body reaches it. */
    private static final class LazyFileStream extends InputStream {
        private final Path file;
        private InputStream in;

        LazyFileStream(Path file) {
            this.file = file;
        }

        private InputStream in() throws IOException {
            if (in == null) {
                in = new java.io.BufferedInputStream(Files.newInputStream(file), 64 * 1024);
            }
            return in;
        }

        @Override
        public int read() throws IOException {
            return in().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
        }
    }
}
