package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.RequestContext;
import org.openehealth.ipf.commons.audit.types.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
/**
 * What the AI DICOMweb controllers ({@link AiQidoController}, {@link AiWadoController}) share: the access check
 * ({@link AiAccess}: a configured platform asking with purpose AI, else 403), the released study (an INCLUDED member
 * of the platform's cohorts whose consent permits it now, else 404 like an unknown one), the request's one audit
 * record, and the DICOM JSON and HTTP helpers.
 */
final class AiDicomWeb {

    private static final Logger LOG = LoggerFactory.getLogger(AiDicomWeb.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String UID = "[0-9]+(\\.[0-9]+)*";

    private final AiAccess access;
    private final AiReleases releases;
    private final Requesters requesters;
    private final AiAudit audit;
    private final AiDeliveryProperties properties;

    AiDicomWeb(AiAccess access, AiReleases releases, Requesters requesters, AiAudit audit, AiDeliveryProperties properties) {
        this.access = access;
        this.releases = releases;
        this.requesters = requesters;
        this.audit = audit;
        this.properties = properties;
    }

    /** The released study, or the answer already given (400 bad UID, 404 absent/not permitted). */
    Optional<AiReleases.Release> release(AiPlatform platform, RequestContext context, ReleaseLog log, String study,
                                          HttpServletRequest rq, HttpServletResponse rs, Done done, boolean json)
            throws IOException {
        if (!uid(study)) {
            done.error(rs, 400, "not a UID");
            return Optional.empty();
        }
        if (json && !acceptsJson(rq)) {
            done.error(rs, 406, "QIDO-RS answers application/dicom+json");
            return Optional.empty();
        }
        done.asked(study);
        Optional<AiReleases.Release> release = releases.study(platform, context, study, log);
        if (release.isEmpty()) {
            done.error(rs, 404, "no such study");
        }
        return release;
    }

    interface Work {
        void run(AiPlatform platform, RequestContext context, ReleaseLog log, Done done) throws IOException;
    }

    /** What a request released, for its one audit record. */
    static final class Done extends ReleaseTally {
        void error(HttpServletResponse rs, int status, String text) throws IOException {
            failed("HTTP " + status);
            AiDicomWeb.error(rs, status, text);
        }
    }

    void handle(EventType type, HttpServletRequest rq, HttpServletResponse rs, Work work) {
        RequestContext context = requesters.of(rq);
        ReleaseLog log = ReleaseLog.of(rq);
        Done done = new Done();
        try {
            AiPlatform platform;
            try {
                platform = access.require(context);
            } catch (AiAccessDenied e) {
                LOG.info("AI DICOMweb refused: {}", e.getMessage());
                done.error(rs, 403, "not an AI platform asking for purpose AI");
                return;
            }
            work.run(platform, context, log, done);
        } catch (IOException e) {
            done.failed("HTTP 500 " + e.getClass().getSimpleName());
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            if (done.failure == null) {
                done.failed("HTTP 500 " + e.getClass().getSimpleName());
            }
            throw e;
        } finally {
            // the studies are named by their original UIDs when released; pseudonymous ones asked for otherwise
            audit.record(type, done.failure, rq.getLocalAddr(), rq.getRemoteAddr(), done.patients,
                    done.studiesOnRecord(), context, log);
            LOG.info("AI {} {}: {}", type.getOriginalText(), rq.getRequestURI().length() > 120 ? "" : rq.getRequestURI(),
                    done.failure == null ? "200" : done.failure);
        }
    }

    Path spool() throws IOException {
        return Files.createDirectories(properties.dataDir().resolve("spool"));
    }

    static String base(HttpServletRequest rq) {
        String url = rq.getRequestURL().toString();
        return url.substring(0, url.indexOf("/ai/dicomweb") + "/ai/dicomweb".length());
    }

    int[] page(HttpServletRequest rq) {
        int offset = number(rq.getParameter("offset"), 0);
        int limit = Math.min(properties.maxLimit(), number(rq.getParameter("limit"), properties.defaultLimit()));
        return new int[]{offset, limit};
    }

    static int number(String s, int absent) {
        if (s == null || s.isBlank()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(s.trim());
            if (n < 0) {
                throw new IllegalArgumentException("negative limit or offset");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit and offset are numbers");
        }
    }

    static boolean uid(String s) {
        return s != null && s.length() <= 64 && s.matches(UID);
    }

    static String text(JsonNode node, String tag) {
        JsonNode v = node.path(tag).path("Value").path(0);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    static void put(ObjectNode node, String tag, String vr, String value) {
        ObjectNode e = node.putObject(tag).put("vr", vr);
        if (value != null) {
            e.putArray("Value").add(value);
        }
    }

    static void putNumber(ObjectNode node, String tag, String vr, String value) {
        ObjectNode e = node.putObject(tag).put("vr", vr);
        if (value != null) {
            try {
                e.putArray("Value").add(Long.parseLong(value.trim()));
            } catch (NumberFormatException ex) {
                e.remove("Value");
            }
        }
    }

    static void writeJson(HttpServletResponse rs, List<ObjectNode> nodes) throws IOException {
        rs.setStatus(200);
        rs.setContentType("application/dicom+json");
        JSON.writeValue(rs.getOutputStream(), nodes);
    }

    static boolean acceptsJson(HttpServletRequest rq) {
        return acceptable(rq.getHeader("Accept"), true);
    }

    static boolean acceptable(String accept, boolean json) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
            String r = range.trim();
            if (r.startsWith("*/*") || (json ? r.startsWith("application/dicom+json") || r.startsWith("application/json")
                    || r.startsWith("application/*")
                    : r.startsWith("multipart/related") && (!r.contains("type=") || r.contains("application/dicom\"")
                    || r.contains("type=application/dicom;") || r.endsWith("type=application/dicom")))) {
                return true;
            }
        }
        return false;
    }

    static void error(HttpServletResponse rs, int status, String text) throws IOException {
        rs.setStatus(status);
        rs.setContentType("text/plain;charset=UTF-8");
        rs.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The QIDO-RS study matching keys we support: StudyInstanceUID, PatientID, StudyDate (range), ModalitiesInStudy. */
}
