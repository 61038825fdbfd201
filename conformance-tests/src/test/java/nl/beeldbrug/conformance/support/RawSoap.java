package nl.beeldbrug.conformance.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Raw HTTP POSTs to the SOAP endpoints, as a newcomer does with curl: no SOAP stack on this side, so the
 * gateway sees exactly the bytes a test wrote (malformed, hostile or the README samples).
 */
public final class RawSoap {

    public static final String SOAP_12 = "application/soap+xml; charset=UTF-8";
    private static final String SAMPLE_DOCUMENT_UID = "1.2.528.1.1001.200.10.4711.2001";
    private static final String SAMPLE_SET_UID = "1.2.528.1.1001.200.10.4711.1001";

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private RawSoap() {
    }

    public static HttpResponse<String> post(String url, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public static HttpResponse<String> post(String url, String body) {
        return post(url, body.getBytes(StandardCharsets.UTF_8), SOAP_12);
    }

    /** A body of unknown length (chunked transfer encoding): no Content-Length for the gateway to check. */
    public static HttpResponse<String> postChunked(String url, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A file of docs/samples (system property {@code beeldbrug.samples}). */
    public static String sample(String name) {
        Path dir = Path.of(System.getProperty("beeldbrug.samples", "../docs/samples"));
        Path file = dir.resolve(name);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the README sample " + file.toAbsolutePath() + " is missing", e);
        }
    }

    /** The README's ITI-41 sample with fresh uniqueIds (document, submission set), as the README asks. */
    public static Iti41Sample iti41Sample() {
        String text = sample("iti41-provide-and-register.xml");
        if (!text.contains(SAMPLE_DOCUMENT_UID) || !text.contains(SAMPLE_SET_UID)) {
            throw new IllegalStateException("the ITI-41 sample no longer carries the uniqueIds the README tells to change");
        }
        String documentUid = Submission.uid();
        String setUid = Submission.uid();
        return new Iti41Sample(text.replace(SAMPLE_DOCUMENT_UID, documentUid).replace(SAMPLE_SET_UID, setUid), documentUid, setUid);
    }

    public record Iti41Sample(String xml, String documentUniqueId, String submissionSetUniqueId) {
        /** The same request for another patient (the sample's demo BSN replaced). */
        public Iti41Sample forPatient(String bsn) {
            return new Iti41Sample(xml.replace("999990019^^^", bsn + "^^^"), documentUniqueId, submissionSetUniqueId);
        }
    }

    /** The SOAP 1.2 fault code value (e.g. "soap:Sender") of a fault answer, or null when it is none. */
    public static String faultCode(String body) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<(?:\\w+:)?Fault\\b.*?<(?:\\w+:)?Code>\\s*<(?:\\w+:)?Value>([^<]+)</", java.util.regex.Pattern.DOTALL)
                .matcher(body);
        return m.find() ? m.group(1).trim() : null;
    }
}
