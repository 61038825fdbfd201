package nl.beeldbrug.gateway.bridge;

import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.bridge.imports.ImportJob;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Import jobs over HTTP: {@code POST /api/imports {"study": uid, "target": sourceId}} (202 with the job),
 * {@code GET /api/imports/{id}}, {@code GET /api/imports?state=queued|running|done|failed}. A study the requester
 * may not see is answered like an unknown one (404); the request is audited.
 */
@RestController
public class ImportController {

    private final ImportService imports;
    private final StudyLocator locator;
    private final ReleaseGuard guard;
    private final Requesters requesters;
    private final RetrieveAudit audit;

    public ImportController(ImportService imports, StudyLocator locator, ReleaseGuard guard, Requesters requesters,
                            RetrieveAudit audit) {
        this.imports = imports;
        this.locator = locator;
        this.guard = guard;
        this.requesters = requesters;
        this.audit = audit;
    }

    /** The request body. */
    public record ImportRequest(String study, String target) {
    }

    /** A job as the API shows it. */
    public record JobView(long id, String study, String target, String state, int attempts, Integer instancesTotal,
                          int instancesDone, int instancesSkipped, String reason, Instant created, Instant updated,
                          Instant finished, Instant nextAttempt) {
        static JobView of(ImportJob j) {
            return new JobView(j.id(), j.studyInstanceUid(), j.target(), j.state().code(), j.attempts(), j.instancesTotal(),
                    j.instancesDone(), j.instancesSkipped(), j.reason(), j.createdAt(), j.updatedAt(), j.finishedAt(),
                    j.state() == ImportJob.State.QUEUED ? j.nextAttemptAt() : null);
        }
    }

    @PostMapping("/api/imports")
    public ResponseEntity<?> request(@RequestBody ImportRequest body, HttpServletRequest rq) {
        if (body == null || body.study() == null || !body.study().matches("[0-9]+(\\.[0-9]+)*") || body.study().length() > 64) {
            return problem(HttpStatus.BAD_REQUEST, "study: a Study Instance UID");
        }
        RequestContext context = requesters.of(rq);
        String outcome = null;
        String released = null;
        try {
            Optional<ImagingStudySummary> study = locator.study(body.study());
            if (study.isEmpty() || !guard.permits(context, guard.metadata(study.get().patientBsn(), body.study(),
                    DataClass.IMAGING_STUDY, study.get().performer() == null ? null : study.get().performer().ura()),
                    ReleaseLog.of(rq))) {
                outcome = "HTTP 404";
                return problem(HttpStatus.NOT_FOUND, "no such study");
            }
            ImportJob job;
            try {
                job = imports.request(body.study(), body.target() == null ? "" : body.target(), context.organisation().value());
            } catch (IllegalArgumentException e) {
                outcome = "HTTP 400";
                return problem(HttpStatus.BAD_REQUEST, "target: " + e.getMessage());
            }
            released = study.get().patientBsn();
            return ResponseEntity.accepted().location(URI.create("/api/imports/" + job.id())).body(JobView.of(job));
        } finally {
            audit.record(RetrieveAudit.IMPORT, outcome == null, outcome, rq.getLocalAddr(), rq.getRemoteAddr(), released,
                    List.of(body.study()), context, ReleaseLog.of(rq));
        }
    }

    @GetMapping("/api/imports/{id}")
    public ResponseEntity<?> job(@PathVariable long id) {
        return imports.job(id).<ResponseEntity<?>>map(j -> ResponseEntity.ok(JobView.of(j)))
                .orElseGet(() -> problem(HttpStatus.NOT_FOUND, "no such import job"));
    }

    @GetMapping("/api/imports")
    public ResponseEntity<?> jobs(@RequestParam(required = false) String state,
                                  @RequestParam(defaultValue = "100") int limit) {
        ImportJob.State s;
        try {
            s = state == null || state.isBlank() ? null : ImportJob.State.of(state.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, "state: queued, running, done or failed");
        }
        return ResponseEntity.ok(imports.jobs(s, Math.max(1, Math.min(1000, limit))).stream().map(JobView::of).toList());
    }

    private static ResponseEntity<?> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(Map.of("status", status.value(), "detail", detail));
    }
}
