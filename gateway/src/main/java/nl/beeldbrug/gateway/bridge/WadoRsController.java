package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * WADO-RS (PS3.18 10.4, IHE RAD-107) at {@code /dicomweb}: a study, series or instance as
 * {@code multipart/related; type="application/dicom"}, and their metadata as {@code application/dicom+json},
 * fetched from the archive that holds the study and streamed on instance by instance. A study that is not
 * registered, that the requester may not see, or whose archive is not connected is answered 404 alike. Every
 * request leaves exactly one audit record.
 */
@RestController
public class WadoRsController {

    private static final Logger LOG = LoggerFactory.getLogger(WadoRsController.class);
    private static final String UID = "[0-9]+(\\.[0-9]+)*";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StudyLocator locator;
    private final Archives archives;
    private final ReleaseGuard guard;
    private final Requesters requesters;
    private final RetrieveAudit audit;

    public WadoRsController(StudyLocator locator, Archives archives, ReleaseGuard guard, Requesters requesters,
                            RetrieveAudit audit) {
        this.locator = locator;
        this.archives = archives;
        this.guard = guard;
        this.requesters = requesters;
        this.audit = audit;
    }

    @GetMapping("/dicomweb/studies/{study}")
    public void study(@PathVariable String study, HttpServletRequest rq, HttpServletResponse rs) {
        answer(Archive.Scope.of(study, null, null), false, rq, rs);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}")
    public void series(@PathVariable String study, @PathVariable String series, HttpServletRequest rq, HttpServletResponse rs) {
        answer(Archive.Scope.of(study, series, null), false, rq, rs);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}")
    public void instance(@PathVariable String study, @PathVariable String series, @PathVariable String instance,
                         HttpServletRequest rq, HttpServletResponse rs) {
        answer(Archive.Scope.of(study, series, instance), false, rq, rs);
    }

    @GetMapping("/dicomweb/studies/{study}/metadata")
    public void studyMetadata(@PathVariable String study, HttpServletRequest rq, HttpServletResponse rs) {
        answer(Archive.Scope.of(study, null, null), true, rq, rs);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/metadata")
    public void seriesMetadata(@PathVariable String study, @PathVariable String series, HttpServletRequest rq,
                               HttpServletResponse rs) {
        answer(Archive.Scope.of(study, series, null), true, rq, rs);
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata")
    public void instanceMetadata(@PathVariable String study, @PathVariable String series, @PathVariable String instance,
                                 HttpServletRequest rq, HttpServletResponse rs) {
        answer(Archive.Scope.of(study, series, instance), true, rq, rs);
    }

    private void answer(Archive.Scope scope, boolean metadata, HttpServletRequest rq, HttpServletResponse rs) {
        RequestContext context = null;
        String released = null;
        String outcome = null;
        try {
            if (!valid(scope)) {
                outcome = error(rs, 400, "not a UID");
                return;
            }
            if (!acceptable(rq.getHeader("Accept"), metadata)) {
                outcome = error(rs, 406, metadata ? "metadata is application/dicom+json"
                        : "instances are multipart/related; type=\"application/dicom\"");
                return;
            }
            context = requesters.of(rq);
            Optional<ImagingStudySummary> study = locator.study(scope.studyUid());
            if (study.isEmpty() || !guard.permits(context, guard.metadata(study.get().patientBsn(), scope.studyUid(),
                    DataClass.IMAGING_STUDY, holder(study.get())), ReleaseLog.of(rq))) {
                outcome = error(rs, 404, "no such study");
                return;
            }
            Optional<Archive> archive = locator.sourceOf(study.get()).flatMap(archives::of);
            if (archive.isEmpty()) {
                outcome = error(rs, 404, "no such study");
                return;
            }
            released = study.get().patientBsn();
            DicomWebResponse.JsonArray array = metadata ? new DicomWebResponse.JsonArray(rs, JSON) : null;
            DicomWebResponse.Multipart multipart = metadata ? null : new DicomWebResponse.Multipart(rs);
            DicomWebResponse writer = metadata ? array : multipart;
            try {
                if (metadata) {
                    archive.get().metadata(scope, node -> {
                        try {
                            array.add(node);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                } else {
                    archive.get().retrieve(scope, in -> multipart.part(in::transferTo));
                }
            } catch (IOException | UncheckedIOException e) {
                if (!writer.started()) {
                    LOG.warn("WADO-RS: archive failed before the first instance: {}", e.toString());
                    released = null;
                    outcome = error(rs, 502, "archive not reachable");
                    return;
                }
                outcome = "HTTP 500 broken off: " + e.getClass().getSimpleName();
                throw new UncheckedIOException(e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
            }
            if (!writer.started()) {
                released = null;
                outcome = error(rs, 404, "no such series or instance");
                return;
            }
            writer.finish();
            outcome = null;
        } catch (IOException e) {
            outcome = "HTTP 500 " + e.getClass().getSimpleName();
            throw new UncheckedIOException(e);
        } finally {
            audit.record(RetrieveAudit.WADO_RS, outcome == null, outcome, rq.getLocalAddr(), rq.getRemoteAddr(), released,
                    List.of(scope.studyUid()), context, ReleaseLog.of(rq));
            LOG.info("WADO-RS {}{}: {}", metadata ? "metadata " : "", level(scope), outcome == null ? "200" : outcome);
        }
    }

    private static String holder(ImagingStudySummary study) {
        return study.performer() == null ? null : study.performer().ura();
    }

    private static String level(Archive.Scope scope) {
        return scope.sopInstanceUid() != null ? "instance" : scope.seriesUid() != null ? "series" : "study";
    }

    private static boolean valid(Archive.Scope scope) {
        return uid(scope.studyUid()) && (scope.seriesUid() == null || uid(scope.seriesUid()))
                && (scope.sopInstanceUid() == null || uid(scope.sopInstanceUid()));
    }

    private static boolean uid(String s) {
        return s.length() <= 64 && s.matches(UID);
    }

    /** Whether the Accept header allows our answer (absent or a wildcard does). */
    static boolean acceptable(String accept, boolean metadata) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
            String r = range.trim();
            if (r.startsWith("*/*") || (metadata ? r.startsWith("application/dicom+json") || r.startsWith("application/json")
                    || r.startsWith("application/*")
                    : r.startsWith("multipart/related") && (!r.contains("type=") || r.contains("application/dicom\"")
                    || r.contains("type=application/dicom;") || r.endsWith("type=application/dicom")))) {
                return true;
            }
        }
        return false;
    }

    private static String error(HttpServletResponse rs, int status, String text) throws IOException {
        rs.setStatus(status);
        rs.setContentType("text/plain;charset=UTF-8");
        rs.getOutputStream().write((text + "\n").getBytes(StandardCharsets.UTF_8));
        return "HTTP " + status;
    }
}
