package nl.beeldbrug.gateway.ai;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import nl.beeldbrug.adapters.dicom.deid.Deidentifier;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.gateway.bridge.DicomJsonWriter;
import nl.beeldbrug.gateway.bridge.DicomWebResponse;
import nl.beeldbrug.registry.ai.delivery.ReleaseRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.JSON;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.acceptable;
import static nl.beeldbrug.gateway.ai.AiDicomWeb.uid;

/**
 * WADO-RS over the calling platform's de-identified view at {@code /ai/dicomweb}: a study, series or instance as
 * {@code multipart/related; type="application/dicom"}, each instance streamed from the source archive through the
 * {@link Deidentifier} into its part (one at a time, never a study in memory), and the metadata as DICOM JSON of the
 * de-identified headers. Pseudonymous series and instance UIDs are mapped back by listing the study's instances
 * ({@link AiReleases#scope}). The first retrieval of a study by a platform is recorded for its Provenance. See
 * {@link AiDicomWeb} for access, consent and audit.
 */
@RestController
@RequestMapping("/ai/dicomweb")
public class AiWadoController {

    private static final Logger LOG = LoggerFactory.getLogger(AiWadoController.class);

    private final AiDicomWeb web;
    private final Deidentifier deidentifier;
    private final ReleaseRecords provenance;
    private final Clock clock;

    public AiWadoController(AiDicomWeb web, Deidentifier deidentifier, ReleaseRecords provenance, Clock clock) {
        this.web = web;
        this.deidentifier = deidentifier;
        this.provenance = provenance;
        this.clock = clock;
    }

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
        web.handle(AiAudit.WADO_RS, rq, rs, (platform, context, log, done) -> {
            if ((series != null && !uid(series)) || (instance != null && !uid(instance))) {
                done.error(rs, 400, "not a UID");
                return;
            }
            if (!acceptable(rq.getHeader("Accept"), metadata)) {
                done.error(rs, 406, metadata ? "metadata is application/dicom+json"
                        : "instances are multipart/related; type=\"application/dicom\"");
                return;
            }
            Optional<AiReleases.Release> release = web.release(platform, context, log, study, rq, rs, done, false);
            if (release.isEmpty()) {
                return;
            }
            Optional<Archive.Scope> scope = AiReleases.scope(release.get(), series, instance);
            if (scope.isEmpty()) {
                done.error(rs, 404, "no such series or instance");
                return;
            }
            AiKeys keys = release.get().keys();
            Parts parts = metadata ? new MetadataParts(rs, web.spool()) : new MultipartParts(rs);
            try {
                release.get().archive().retrieve(scope.get(), in -> parts.instance(in, keys));
            } catch (IOException | UncheckedIOException e) {
                if (!parts.response().started()) {
                    LOG.warn("AI WADO-RS: archive failed before the first instance: {}", e.toString());
                    done.error(rs, 502, "archive not reachable");
                    return;
                }
                done.failed("HTTP 500 broken off: " + e.getClass().getSimpleName());
                throw e instanceof IOException io ? new UncheckedIOException(io) : (UncheckedIOException) e;
            }
            if (!parts.response().started()) {
                done.error(rs, 404, "no such series or instance");
                return;
            }
            parts.response().finish();
            done.released(release.get().member().bsn(), release.get().member().studyUid());
            provenance.first(platform.ura(), release.get().member().pseudoStudyUid(), "wado-rs", clock.instant());
        });
    }


    private interface Parts {
        void instance(java.io.InputStream ps10, AiKeys keys) throws IOException;

        DicomWebResponse response();
    }

    /** multipart/related; type="application/dicom": each instance de-identified straight into its part. */
    private final class MultipartParts implements Parts {
        private final DicomWebResponse.Multipart multipart;

        MultipartParts(HttpServletResponse rs) {
            this.multipart = new DicomWebResponse.Multipart(rs);
        }

        @Override
        public void instance(java.io.InputStream ps10, AiKeys keys) throws IOException {
            multipart.part(out -> deidentifier.deidentify(ps10, keys, out));
        }

        @Override
        public DicomWebResponse response() {
            return multipart;
        }
    }

    /** DICOM JSON of the de-identified header of each instance (de-identified into a spool file, read back, deleted). */
    private final class MetadataParts implements Parts {
        private final DicomWebResponse.JsonArray array;
        private final Path spool;

        MetadataParts(HttpServletResponse rs, Path spool) {
            this.array = new DicomWebResponse.JsonArray(rs, JSON);
            this.spool = spool;
        }

        @Override
        public void instance(java.io.InputStream ps10, AiKeys keys) throws IOException {
            Path f = Files.createTempFile(spool, "deid", ".dcm");
            try {
                try (OutputStream out = Files.newOutputStream(f)) {
                    deidentifier.deidentify(ps10, keys, out);
                }
                array.add(DicomJsonWriter.toJson(DicomFile.read(f).dataset()));
            } finally {
                Files.deleteIfExists(f);
            }
        }

        @Override
        public DicomWebResponse response() {
            return array;
        }
    }
}
