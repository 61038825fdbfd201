package nl.beeldbrug.gateway.bridge;

import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.servlet.http.HttpServletRequest;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.gateway.consent.ReleaseGuard;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.gateway.security.Requesters;
import nl.beeldbrug.registry.consent.DataClass;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.apache.cxf.transport.http.AbstractHTTPDestination;
import org.openehealth.ipf.commons.ihe.xds.core.requests.DocumentReference;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveImagingDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveSeries;
import org.openehealth.ipf.commons.ihe.xds.core.requests.RetrieveStudy;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorCode;
import org.openehealth.ipf.commons.ihe.xds.core.responses.ErrorInfo;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocument;
import org.openehealth.ipf.commons.ihe.xds.core.responses.RetrievedDocumentSet;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Severity;
import org.openehealth.ipf.commons.ihe.xds.core.responses.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RAD-69 Retrieve Imaging Document Set as Imaging Document Source for the connected archives: each requested
 * study is located and its consent decided first (a study the requester may not see gets exactly the errors of
 * an unknown one: {@code XDSDocumentUniqueIdError} per requested instance), then the requested instances are
 * fetched from the archive series by series into spool files, and attached from there (MTOM) — never held in
 * memory; each file is removed once it has been read into the response.
 */
public final class Rad69Service {

    private static final Logger LOG = LoggerFactory.getLogger(Rad69Service.class);

    private final StudyLocator locator;
    private final Archives archives;
    private final ReleaseGuard guard;
    private final Requesters requesters;
    private final Path spoolDir;

    public Rad69Service(StudyLocator locator, Archives archives, ReleaseGuard guard, Requesters requesters, Path spoolDir) {
        this.locator = locator;
        this.archives = archives;
        this.guard = guard;
        this.requesters = requesters;
        this.spoolDir = spoolDir;
    }

    public RetrievedDocumentSet retrieve(RetrieveImagingDocumentSet request) throws IOException {
        HttpServletRequest http = currentRequest();
        List<RetrievedDocument> found = new ArrayList<>();
        List<ErrorInfo> errors = new ArrayList<>();
        for (RetrieveStudy study : request.getRetrieveStudies()) {
            Optional<Archive> archive = permittedArchive(study.getStudyInstanceUID(), http);
            for (RetrieveSeries series : study.getRetrieveSerieses()) {
                Map<String, DocumentReference> wanted = new LinkedHashMap<>();
                series.getDocuments().forEach(d -> wanted.put(d.getDocumentUniqueId(), d));
                if (archive.isPresent() && !wanted.isEmpty()) {
                    fetch(archive.get(), study.getStudyInstanceUID(), series.getSeriesInstanceUID(), wanted, found);
                }
                for (DocumentReference missing : wanted.values()) {
                    errors.add(new ErrorInfo(ErrorCode.DOCUMENT_UNIQUE_ID_ERROR, "no document with this uniqueId",
                            Severity.ERROR, missing.getDocumentUniqueId(), null));
                }
            }
        }
        Status status = errors.isEmpty() ? Status.SUCCESS : found.isEmpty() ? Status.FAILURE : Status.PARTIAL_SUCCESS;
        RetrievedDocumentSet response = new RetrievedDocumentSet(status, found);
        response.getErrors().addAll(errors);
        LOG.info("RAD-69: {} instances, {} errors", found.size(), errors.size());
        return response;
    }

    /** The archive of a study that is registered and may be released to the requester; else empty. */
    private Optional<Archive> permittedArchive(String studyUid, HttpServletRequest http) {
        if (studyUid == null || http == null) {
            return Optional.empty();
        }
        Optional<ImagingStudySummary> study = locator.study(studyUid);
        if (study.isEmpty() || !guard.permits(requesters.of(http), guard.metadata(study.get().patientBsn(), studyUid,
                DataClass.IMAGING_STUDY, study.get().performer() == null ? null : study.get().performer().ura()),
                ReleaseLog.of(http))) {
            return Optional.empty();
        }
        return locator.sourceOf(study.get()).flatMap(archives::of);
    }

    /** Fetches the wanted instances of one series; found ones are removed from {@code wanted}. */
    private void fetch(Archive archive, String studyUid, String seriesUid, Map<String, DocumentReference> wanted,
                       List<RetrievedDocument> found) throws IOException {
        Files.createDirectories(spoolDir);
        Set<String> only = new LinkedHashSet<>(wanted.keySet());
        try {
            archive.retrieve(new Archive.Scope(studyUid, seriesUid, null, only), in -> {
                Path f = Files.createTempFile(spoolDir, "rad69-", ".dcm");
                try (OutputStream out = Files.newOutputStream(f)) {
                    in.transferTo(out);
                }
                String sop = DicomFile.read(f).dataset().getString(Tag.SOPInstanceUID);
                DocumentReference reference = sop == null ? null : wanted.remove(sop);
                if (reference == null) {
                    Files.deleteIfExists(f);
                    return;
                }
                found.add(new RetrievedDocument(new DataHandler(new SpoolDataSource(f)), reference, null, null,
                        "application/dicom"));
            });
        } catch (IOException e) {
            LOG.warn("RAD-69: archive failed: {}", e.toString()); // what is not fetched is reported per instance
        }
    }

    /** The HTTP request being served (Spring's current one, or the CXF message's). */
    static HttpServletRequest currentRequest() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return attributes.getRequest();
        }
        Message cxf = PhaseInterceptorChain.getCurrentMessage();
        Object request = cxf == null ? null : cxf.get(AbstractHTTPDestination.HTTP_REQUEST);
        if (request == null && cxf != null && cxf.getExchange() != null && cxf.getExchange().getInMessage() != null) {
            request = cxf.getExchange().getInMessage().get(AbstractHTTPDestination.HTTP_REQUEST);
        }
        return request instanceof HttpServletRequest h ? h : null;
    }

    /** A spooled instance, removed from the spool once read. */
    private record SpoolDataSource(Path file) implements DataSource {
        @Override
        public InputStream getInputStream() throws IOException {
            return Files.newInputStream(file, StandardOpenOption.DELETE_ON_CLOSE);
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getContentType() {
            return "application/dicom";
        }

        @Override
        public String getName() {
            return file.getFileName().toString();
        }
    }
}
