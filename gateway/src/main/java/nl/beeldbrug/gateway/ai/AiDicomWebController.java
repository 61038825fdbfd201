package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.adapters.dicom.deid.Deidentifier;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.gateway.bridge.DicomJsonWriter;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.ai.CohortMember;
import nl.beeldbrug.registry.ai.delivery.ReleaseRecords;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import org.openehealth.ipf.commons.audit.types.EventType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * De-identified DICOMweb for AI platforms at {@code /ai/dicomweb}: QIDO-RS (studies, series, instances) and WADO-RS
 * (study, series, instance, metadata) over the calling platform's cohorts. Only INCLUDED members whose patient's AI
 * consent permits the platform at this moment exist here — anything else (unknown, another platform's UID, revoked)
 * is 404 or absent alike; a requester that is no configured platform, or asks with another purpose, gets 403. UIDs are
 * the platform's pseudonymous ones, dates are shifted, attributes de-identified; each instance streams from the
 * source archive through the {@link Deidentifier} to the response, one at a time. One audit record per request.
 */
@RestController
@RequestMapping("/ai/dicomweb")
public class AiDicomWebController {

    private static final Logger LOG = LoggerFactory.getLogger(AiDicomWebController.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ZoneId NL = ZoneId.of("Europe/Amsterdam");
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String UID = "[0-9]+(\\.[0-9]+)*";

    private final AiAccess access;
    private final AiReleases releases;
    private final Requesters requesters;
    private final Deidentifier deidentifier;
    private final ReleaseRecords provenance;
    private final AiAudit audit;
    private final AiDeliveryProperties properties;
    private final Clock clock;

    public AiDicomWebController(AiAccess access, AiReleases releases, Requesters requesters, Deidentifier deidentifier,
                                ReleaseRecords provenance, AiAudit audit, AiDeliveryProperties properties, Clock clock) {
        this.access = access;
        this.releases = releases;
        this.requesters = requesters;
        this.deidentifier = deidentifier;
        this.provenance = provenance;
        this.audit = audit;
        this.properties = properties;
        this.clock = clock;
    }

    // ------------------------------------------------------------------------------------------------ QIDO-RS

    @GetMapping("/studies")
    public void searchStudies(HttpServletRequest rq, HttpServletResponse rs) {
        handle(AiAudit.QIDO_RS, rq, rs, (platform, context, log, done) -> {
            if (!acceptsJson(rq)) {
                done.error(rs, 406, "QIDO-RS answers application/dicom+json");
                return;
            }
            StudyFilter filter;
            int[] page;
            try {
                filter = StudyFilter.of(rq);
                page = page(rq);
            } catch (IllegalArgumentException e) {
                done.error(rs, 400, e.getMessage());
                return;
            }
            List<ObjectNode> matches = new ArrayList<>();
            List<CohortMember> matched = new ArrayList<>();
            for (CohortMember member : releases.permitted(platform, context, log)) {
                Optional<ImagingStudySummary> study = releases.summary(member);
                if (study.isEmpty()) {
                    continue;
                }
                AiKeys keys = new AiKeys(platform, member.bsn());
                String date = study.get().started() == null ? null
                        : LocalDate.ofInstant(study.get().started(), NL).plusDays(keys.dateShiftDays()).format(DA);
                Set<String> modalities = new LinkedHashSet<>();
                study.get().modalities().forEach(m -> modalities.add(m.code()));
                if (filter.matches(member.pseudoStudyUid(), member.patientPseudonym(), date, modalities)) {
                    ObjectNode node = NODES.objectNode();
                    put(node, "00080020", "DA", date);
                    ArrayNode mods = node.putObject("00080061").put("vr", "CS").putArray("Value");
                    modalities.forEach(mods::add);
                    node.putObject("00100010").put("vr", "PN").putArray("Value").addObject()
                            .put("Alphabetic", member.patientPseudonym());
                    put(node, "00100020", "LO", member.patientPseudonym());
                    put(node, "0020000D", "UI", member.pseudoStudyUid());
                    put(node, "00081190", "UR", base(rq) + "/studies/" + member.pseudoStudyUid());
                    matches.add(node);
                    matched.add(member);
                }
            }
            int from = Math.min(page[0], matches.size());
            int to = Math.min(matches.size(), from + page[1]);
            List<CohortMember> released = matched.subList(from, to);
            writeJson(rs, matches.subList(from, to));
            released.forEach(m -> done.released(m.bsn(), m.studyUid()));
        });
    }

    @GetMapping("/studies/{study}/series")
    public void searchSeries(@PathVariable String study, HttpServletRequest rq, HttpServletResponse rs) {
        handle(AiAudit.QIDO_RS, rq, rs, (platform, context, log, done) -> {
            Optional<AiReleases.Release> release = release(platform, context, log, study, rq, rs, done, true);
            if (release.isEmpty()) {
                return;
            }
            AiKeys keys = release.get().keys();
            Map<String, ObjectNode> series = new LinkedHashMap<>();
            String modality = rq.getParameter("Modality");
            release.get().archive().metadata(Archive.Scope.study(release.get().member().studyUid()), node -> {
                String uid = keys.uid(text(node, "0020000E"));
                ObjectNode s = series.computeIfAbsent(uid, u -> {
                    ObjectNode n = NODES.objectNode();
                    put(n, "0020000D", "UI", release.get().member().pseudoStudyUid());
                    put(n, "0020000E", "UI", u);
                    put(n, "00080060", "CS", text(node, "00080060"));
                    putNumber(n, "00200011", "IS", text(node, "00200011"));
                    n.putObject("00201209").put("vr", "IS").putArray("Value").add(0);
                    return n;
                });
                ArrayNode count = (ArrayNode) s.get("00201209").get("Value");
                count.set(0, count.get(0).asInt() + 1);
            });
            List<ObjectNode> out = series.values().stream()
                    .filter(n -> modality == null || modality.equalsIgnoreCase(n.path("00080060").path("Value").path(0).asText()))
                    .toList();
            int[] page = page(rq);
            int from = Math.min(page[0], out.size());
            writeJson(rs, out.subList(from, Math.min(out.size(), from + page[1])));
            done.released(release.get().member().bsn(), release.get().member().studyUid());
        });
    }

    @GetMapping("/studies/{study}/series/{series}/instances")
    public void searchInstances(@PathVariable String study, @PathVariable String series, HttpServletRequest rq,
                                HttpServletResponse rs) {
        handle(AiAudit.QIDO_RS, rq, rs, (platform, context, log, done) -> {
            if (!uid(series)) {
                done.error(rs, 400, "not a UID");
                return;
            }
            Optional<AiReleases.Release> release = release(platform, context, log, study, rq, rs, done, true);
            if (release.isEmpty()) {
                return;
            }
            AiKeys keys = release.get().keys();
            List<ObjectNode> out = new ArrayList<>();
            release.get().archive().metadata(Archive.Scope.study(release.get().member().studyUid()), node -> {
                if (!keys.uid(text(node, "0020000E")).equals(series)) {
                    return;
                }
                ObjectNode n = NODES.objectNode();
                put(n, "00080016", "UI", text(node, "00080016"));
                put(n, "00080018", "UI", keys.uid(text(node, "00080018")));
                put(n, "0020000D", "UI", release.get().member().pseudoStudyUid());
                put(n, "0020000E", "UI", series);
                putNumber(n, "00200013", "IS", text(node, "00200013"));
                out.add(n);
            });
            if (out.isEmpty()) {
                done.error(rs, 404, "no such series");
                return;
            }
            int[] page = page(rq);
            int from = Math.min(page[0], out.size());
            writeJson(rs, out.subList(from, Math.min(out.size(), from + page[1])));
            done.released(release.get().member().bsn(), release.get().member().studyUid());
        });
    }

    // ------------------------------------------------------------------------------------------------ WADO-RS

    @GetMapping("/studies/{study}")
    public void study(@PathVariable String study, HttpServletRequest rq, HttpServletResponse rs) {
        retrieve(study, null, null, false, rq, rs);
    }

    @GetMapping("/studies/{study}/series/{series}")
    public void series(@PathVariable String study, @PathVariable String series, HttpServletRequest rq, HttpServletResponse rs) {
        retrieve(study, series, null, false, rq, rs);
    }

    @GetMapping("/studies/{study}/series/{series}/instances/{instance}")
    public void instance(@PathVariable String study, @PathVariable String series, @PathVariable String instance,
                         HttpServletRequest rq, HttpServletResponse rs) {
        retrieve(study, series, instance, false, rq, rs);
    }

    @GetMapping("/studies/{study}/metadata")
    public void studyMetadata(@PathVariable String study, HttpServletRequest rq, HttpServletResponse rs) {
        retrieve(study, null, null, true, rq, rs);
    }

    @GetMapping("/studies/{study}/series/{series}/metadata")
    public void seriesMetadata(@PathVariable String study, @PathVariable String series, HttpServletRequest rq,
                               HttpServletResponse rs) {
        retrieve(study, series, null, true, rq, rs);
    }

    @GetMapping("/studies/{study}/series/{series}/instances/{instance}/metadata")
    public void instanceMetadata(@PathVariable String study, @PathVariable String series, @PathVariable String instance,
                                 HttpServletRequest rq, HttpServletResponse rs) {
        retrieve(study, series, instance, true, rq, rs);
    }

    private void retrieve(String study, String series, String instance, boolean metadata, HttpServletRequest rq,
                          HttpServletResponse rs) {
        handle(AiAudit.WADO_RS, rq, rs, (platform, context, log, done) -> {
            if ((series != null && !uid(series)) || (instance != null && !uid(instance))) {
                done.error(rs, 400, "not a UID");
                return;
            }
            if (!acceptable(rq.getHeader("Accept"), metadata)) {
                done.error(rs, 406, metadata ? "metadata is application/dicom+json"
                        : "instances are multipart/related; type=\"application/dicom\"");
                return;
            }
            Optional<AiReleases.Release> release = release(platform, context, log, study, rq, rs, done, false);
            if (release.isEmpty()) {
                return;
            }
            Optional<Archive.Scope> scope = AiReleases.scope(release.get(), series, instance);
            if (scope.isEmpty()) {
                done.error(rs, 404, "no such series or instance");
                return;
            }
            AiKeys keys = release.get().keys();
            Parts parts = metadata ? new MetadataParts(rs, spool()) : new MultipartParts(rs);
            try {
                release.get().archive().retrieve(scope.get(), in -> parts.instance(in, keys));
            } catch (IOException | UncheckedIOException e) {
                if (!parts.started()) {
                    LOG.warn("AI WADO-RS: archive failed before the first instance: {}", e.toString());
                    done.error(rs, 502, "archive not reachable");
                    return;
                }
                done.failed("HTTP 500 broken off: " + e.getClass().getSimpleName());
                throw e instanceof IOException io ? new UncheckedIOException(io) : (UncheckedIOException) e;
            }
            if (!parts.started()) {
                done.error(rs, 404, "no such series or instance");
                return;
            }
            parts.finish();
            done.released(release.get().member().bsn(), release.get().member().studyUid());
            provenance.first(platform.ura(), release.get().member().pseudoStudyUid(), "wado-rs", clock.instant());
        });
    }

    // ------------------------------------------------------------------------------------------------ common

    /** The released study, or the answer already given (400 bad UID, 404 absent/not permitted). */
    private Optional<AiReleases.Release> release(AiPlatform platform, RequestContext context, ReleaseLog log, String study,
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

    private interface Work {
        void run(AiPlatform platform, RequestContext context, ReleaseLog log, Done done) throws IOException;
    }

    /** What a request released, for its one audit record. */
    private static final class Done {
        final Set<String> patients = new LinkedHashSet<>();
        final Set<String> studies = new LinkedHashSet<>();
        final Set<String> asked = new LinkedHashSet<>();
        String failure;

        void released(String bsn, String studyUid) {
            patients.add(bsn);
            studies.add(studyUid);
        }

        void asked(String pseudoStudyUid) {
            asked.add(pseudoStudyUid);
        }

        void failed(String description) {
            failure = description;
        }

        void error(HttpServletResponse rs, int status, String text) throws IOException {
            failure = "HTTP " + status;
            AiDicomWebController.error(rs, status, text);
        }
    }

    private void handle(EventType type, HttpServletRequest rq, HttpServletResponse rs, Work work) {
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
                    done.studies.isEmpty() ? done.asked : done.studies, context, log);
            LOG.info("AI {} {}: {}", type.getOriginalText(), rq.getRequestURI().length() > 120 ? "" : rq.getRequestURI(),
                    done.failure == null ? "200" : done.failure);
        }
    }

    private Path spool() throws IOException {
        return Files.createDirectories(properties.dataDir().resolve("spool"));
    }

    private static String base(HttpServletRequest rq) {
        String url = rq.getRequestURL().toString();
        return url.substring(0, url.indexOf("/ai/dicomweb") + "/ai/dicomweb".length());
    }

    private int[] page(HttpServletRequest rq) {
        int offset = number(rq.getParameter("offset"), 0);
        int limit = Math.min(properties.maxLimit(), number(rq.getParameter("limit"), properties.defaultLimit()));
        return new int[]{offset, limit};
    }

    private static int number(String s, int absent) {
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

    private static boolean uid(String s) {
        return s != null && s.length() <= 64 && s.matches(UID);
    }

    private static String text(JsonNode node, String tag) {
        JsonNode v = node.path(tag).path("Value").path(0);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static void put(ObjectNode node, String tag, String vr, String value) {
        ObjectNode e = node.putObject(tag).put("vr", vr);
        if (value != null) {
            e.putArray("Value").add(value);
        }
    }

    private static void putNumber(ObjectNode node, String tag, String vr, String value) {
        ObjectNode e = node.putObject(tag).put("vr", vr);
        if (value != null) {
            try {
                e.putArray("Value").add(Long.parseLong(value.trim()));
            } catch (NumberFormatException ex) {
                e.remove("Value");
            }
        }
    }

    private static void writeJson(HttpServletResponse rs, List<ObjectNode> nodes) throws IOException {
        rs.setStatus(200);
        rs.setContentType("application/dicom+json");
        JSON.writeValue(rs.getOutputStream(), nodes);
    }

    private static boolean acceptsJson(HttpServletRequest rq) {
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

    private static void error(HttpServletResponse rs, int status, String text) throws IOException {
        rs.setStatus(status);
        rs.setContentType("text/plain;charset=UTF-8");
        rs.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The QIDO-RS study matching keys we support: StudyInstanceUID, PatientID, StudyDate (range), ModalitiesInStudy. */
    record StudyFilter(Set<String> studyUids, String patientId, String dateFrom, String dateTo, Set<String> modalities) {
        static StudyFilter of(HttpServletRequest rq) {
            Set<String> uids = values(rq, "StudyInstanceUID", "0020000D");
            Set<String> modalities = values(rq, "ModalitiesInStudy", "00080061");
            String patient = first(rq, "PatientID", "00100020");
            String date = first(rq, "StudyDate", "00080020");
            String from = null;
            String to = null;
            if (date != null && !date.isBlank()) {
                if (!date.matches("[0-9]{8}|[0-9]{8}-|-[0-9]{8}|[0-9]{8}-[0-9]{8}")) {
                    throw new IllegalArgumentException("StudyDate is YYYYMMDD or a range YYYYMMDD-YYYYMMDD");
                }
                int dash = date.indexOf('-');
                from = dash < 0 ? date : dash == 0 ? null : date.substring(0, dash);
                to = dash < 0 ? date : dash == date.length() - 1 ? null : date.substring(dash + 1);
            }
            return new StudyFilter(uids, patient, from, to, modalities);
        }

        boolean matches(String studyUid, String patientPseudonym, String date, Set<String> studyModalities) {
            if (!studyUids.isEmpty() && !studyUids.contains(studyUid)) {
                return false;
            }
            if (patientId != null && !patientId.isBlank() && !patientId.equals(patientPseudonym)) {
                return false;
            }
            if ((dateFrom != null || dateTo != null) && (date == null || (dateFrom != null && date.compareTo(dateFrom) < 0)
                    || (dateTo != null && date.compareTo(dateTo) > 0))) {
                return false;
            }
            return modalities.isEmpty() || studyModalities.stream().anyMatch(m -> modalities.contains(m.toUpperCase(Locale.ROOT)));
        }

        private static Set<String> values(HttpServletRequest rq, String name, String tag) {
            Set<String> out = new LinkedHashSet<>();
            for (String key : List.of(name, tag)) {
                String[] vs = rq.getParameterValues(key);
                if (vs != null) {
                    Arrays.stream(vs).flatMap(v -> Arrays.stream(v.split("[,\\\\]"))).map(String::trim)
                            .filter(v -> !v.isEmpty()).map(v -> v.toUpperCase(Locale.ROOT))
                            .forEach(out::add);
                }
            }
            return out;
        }

        private static String first(HttpServletRequest rq, String name, String tag) {
            String v = rq.getParameter(name);
            return v != null ? v : rq.getParameter(tag);
        }
    }

    // ------------------------------------------------------------------------------------------------ writers

    private interface Parts {
        void instance(java.io.InputStream ps10, AiKeys keys) throws IOException;

        boolean started();

        void finish() throws IOException;
    }

    /** multipart/related; type="application/dicom": each instance de-identified straight into its part. */
    private final class MultipartParts implements Parts {
        private final HttpServletResponse rs;
        private final String boundary = "beeldbrug-" + UUID.randomUUID();
        private OutputStream out;

        MultipartParts(HttpServletResponse rs) {
            this.rs = rs;
        }

        @Override
        public void instance(java.io.InputStream ps10, AiKeys keys) throws IOException {
            if (out == null) {
                rs.setStatus(200);
                rs.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary);
                out = rs.getOutputStream();
            }
            out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            deidentifier.deidentify(ps10, keys, new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the response stays open for the next part
                }
            });
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public boolean started() {
            return out != null;
        }

        @Override
        public void finish() throws IOException {
            out.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    /** DICOM JSON of the de-identified header of each instance (de-identified into a spool file, read back, deleted). */
    private final class MetadataParts implements Parts {
        private final HttpServletResponse rs;
        private final Path spool;
        private JsonGenerator json;

        MetadataParts(HttpServletResponse rs, Path spool) {
            this.rs = rs;
            this.spool = spool;
        }

        @Override
        public void instance(java.io.InputStream ps10, AiKeys keys) throws IOException {
            Path f = Files.createTempFile(spool, "deid", ".dcm");
            try {
                try (OutputStream out = Files.newOutputStream(f)) {
                    deidentifier.deidentify(ps10, keys, out);
                }
                JsonNode node = DicomJsonWriter.toJson(DicomFile.read(f).dataset());
                if (json == null) {
                    rs.setStatus(200);
                    rs.setContentType("application/dicom+json");
                    json = JSON.getFactory().createGenerator(rs.getOutputStream());
                    json.writeStartArray();
                }
                JSON.writeTree(json, node);
            } finally {
                Files.deleteIfExists(f);
            }
        }

        @Override
        public boolean started() {
            return json != null;
        }

        @Override
        public void finish() throws IOException {
            json.writeEndArray();
            json.flush();
        }
    }
}
