package nl.beeldbrug.gateway.ai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.ai.Cohort;
import nl.beeldbrug.registry.ai.CohortStore;
import nl.beeldbrug.registry.ai.delivery.ExportStore;
import nl.beeldbrug.registry.consent.RequestContext;
import org.openehealth.ipf.commons.audit.types.EventType;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Bulk export of a cohort to its platform: {@code POST /ai/cohorts/{id}/exports} (only the cohort's own platform) →
 * 202 with {@code Location: /ai/exports/{exportId}}; {@code GET /ai/exports/{id}} the status, {@code .../manifest} the
 * manifest of every study written, {@code .../studies/{pseudoStudyUid}.zip} one study's ZIP (HTTP Range honoured, so a
 * broken download resumes). Consent is decided again on every request: a patient whose AI consent no longer permits
 * the platform is withdrawn (files deleted) and appears in no count, manifest or download. Another platform's export
 * is 404 like an unknown one; a requester that is no platform asking for purpose AI gets 403. One audit record each.
 */
@RestController
public class AiExportController {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AiExportController.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final MediaType ZIP = MediaType.parseMediaType("application/zip");

    private final AiAccess access;
    private final CohortStore cohorts;
    private final AiExports exports;
    private final Requesters requesters;
    private final AiAudit audit;

    public AiExportController(AiAccess access, CohortStore cohorts, AiExports exports, Requesters requesters, AiAudit audit) {
        this.access = access;
        this.cohorts = cohorts;
        this.exports = exports;
        this.requesters = requesters;
        this.audit = audit;
    }

    @PostMapping("/ai/cohorts/{cohort}/exports")
    public ResponseEntity<?> create(@PathVariable String cohort, HttpServletRequest rq) {
        return handle(AiAudit.EXPORT_REQUEST, rq, (platform, context, log, done) -> {
            Optional<Cohort> found = uuid(cohort).flatMap(cohorts::cohort).filter(c -> c.platform().equals(platform.ura()));
            if (found.isEmpty()) {
                return done.error(HttpStatus.NOT_FOUND, "no such cohort");
            }
            List<ExportStore.NewStudy> studies = cohorts.members(found.get().id()).stream()
                    .map(m -> new ExportStore.NewStudy(m.studyUid(), m.pseudoStudyUid(), m.bsn(),
                            m.holder() == null ? null : m.holder().value()))
                    .toList();
            ExportStore.Export export = exports.store().create(found.get().id(), platform.ura(), studies);
            ObjectNode body = NODES.objectNode().put("id", export.id().toString()).put("state", export.state());
            return ResponseEntity.accepted().location(URI.create("/ai/exports/" + export.id()))
                    .contentType(MediaType.APPLICATION_JSON).body(body.toString());
        });
    }

    @GetMapping("/ai/exports/{id}")
    public ResponseEntity<?> status(@PathVariable String id, HttpServletRequest rq) {
        return handle(AiAudit.EXPORT_REQUEST, rq, (platform, context, log, done) -> {
            Optional<ExportStore.Export> export = export(platform, id);
            if (export.isEmpty()) {
                return done.error(HttpStatus.NOT_FOUND, "no such export");
            }
            List<ExportStore.Study> live = exports.live(export.get().id(), context, log);
            ObjectNode body = NODES.objectNode();
            body.put("id", export.get().id().toString());
            body.put("cohort", export.get().cohortId().toString());
            body.put("state", export.get().state());
            if (export.get().reason() != null) {
                body.put("reason", export.get().reason());
            }
            ObjectNode studies = body.putObject("studies");
            studies.put("total", live.size());
            studies.put("done", live.stream().filter(ExportStore.Study::written).count());
            ArrayNode files = body.putArray("files");
            for (ExportStore.Study s : live) {
                if (s.written()) {
                    files.addObject().put("studyInstanceUid", s.pseudoStudyUid()).put("file", s.fileName())
                            .put("size", s.size()).put("sha256", s.sha256())
                            .put("url", "/ai/exports/" + export.get().id() + "/studies/" + s.fileName());
                }
            }
            body.put("manifest", "/ai/exports/" + export.get().id() + "/manifest");
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body.toString());
        });
    }

    @GetMapping("/ai/exports/{id}/manifest")
    public ResponseEntity<?> manifest(@PathVariable String id, HttpServletRequest rq) {
        return handle(AiAudit.EXPORT_REQUEST, rq, (platform, context, log, done) -> {
            Optional<ExportStore.Export> export = export(platform, id);
            if (export.isEmpty()) {
                return done.error(HttpStatus.NOT_FOUND, "no such export");
            }
            ObjectNode body = NODES.objectNode();
            body.put("export", export.get().id().toString());
            body.put("state", export.get().state());
            body.set("deidentification", AiProvenanceMapper.deidentificationJson());
            ArrayNode studies = body.putArray("studies");
            for (ExportStore.Study s : exports.live(export.get().id(), context, log)) {
                if (!s.written()) {
                    continue;
                }
                ObjectNode study = studies.addObject();
                study.put("studyInstanceUid", s.pseudoStudyUid());
                study.put("file", s.fileName());
                study.put("size", s.size());
                study.put("sha256", s.sha256());
                try {
                    study.set("instances", JSON.readTree(s.filesJson()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                done.released(s.bsn(), s.studyUid());
            }
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body.toString());
        });
    }

    @GetMapping("/ai/exports/{id}/studies/{file:.+}")
    public ResponseEntity<?> download(@PathVariable String id, @PathVariable String file, HttpServletRequest rq) {
        return handle(AiAudit.DOWNLOAD, rq, (platform, context, log, done) -> {
            Optional<ExportStore.Export> export = export(platform, id);
            if (export.isEmpty() || !file.endsWith(".zip")) {
                return done.error(HttpStatus.NOT_FOUND, "no such file");
            }
            String pseudo = file.substring(0, file.length() - ".zip".length());
            Optional<ExportStore.Study> study = exports.store().studies(export.get().id()).stream()
                    .filter(s -> s.pseudoStudyUid().equals(pseudo) && s.written()).findFirst();
            done.asked(pseudo);
            if (study.isEmpty()) {
                return done.error(HttpStatus.NOT_FOUND, "no such file");
            }
            // consent decided again now: a revoked patient's files are deleted and answered like absent ones
            ExportStore.Study s = study.get();
            if (!exports.permits(context, s, log)) {
                exports.withdraw(export.get().id(), s.bsn());
                return done.error(HttpStatus.NOT_FOUND, "no such file");
            }
            Path path = exports.file(export.get().id(), pseudo);
            if (!Files.isRegularFile(path)) {
                return done.error(HttpStatus.NOT_FOUND, "no such file");
            }
            done.released(s.bsn(), s.studyUid());
            Resource resource = new FileSystemResource(path);
            return ResponseEntity.ok().contentType(ZIP).header("Accept-Ranges", "bytes")
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"")
                    .header("Digest", "sha-256=" + java.util.Base64.getEncoder().encodeToString(
                            java.util.HexFormat.of().parseHex(s.sha256())))
                    .body(resource);
        });
    }

    private Optional<ExportStore.Export> export(AiPlatform platform, String id) {
        return uuid(id).flatMap(u -> exports.of(platform, u));
    }

    private static Optional<UUID> uuid(String s) {
        try {
            return Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private interface Work {
        ResponseEntity<?> run(AiPlatform platform, RequestContext context, ReleaseLog log, Done done) throws IOException;
    }

    private static final class Done extends ReleaseTally {
        ResponseEntity<?> error(HttpStatus status, String text) {
            failed("HTTP " + status.value());
            return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                    .body(NODES.objectNode().put("error", text).toString());
        }
    }

    private ResponseEntity<?> handle(EventType type, HttpServletRequest rq, Work work) {
        RequestContext context = requesters.of(rq);
        ReleaseLog log = ReleaseLog.of(rq);
        Done done = new Done();
        try {
            AiPlatform platform;
            try {
                platform = access.require(context);
            } catch (AiAccessDenied e) {
                LOG.info("AI export refused: {}", e.getMessage());
                return done.error(HttpStatus.FORBIDDEN, "not an AI platform asking for purpose AI");
            }
            return work.run(platform, context, log, done);
        } catch (IOException e) {
            done.failed("HTTP 500 " + e.getClass().getSimpleName());
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            done.failed("HTTP 500 " + e.getClass().getSimpleName());
            throw e;
        } finally {
            audit.record(type, done.failure, rq.getLocalAddr(), rq.getRemoteAddr(), done.patients,
                    done.studiesOnRecord(), context, log);
        }
    }
}
