package nl.beeldbrug.gateway.qr;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.net.Dimse;
import nl.beeldbrug.adapters.dicom.net.DimseException;
import nl.beeldbrug.adapters.dicom.net.QueryHandler;
import nl.beeldbrug.adapters.dicom.net.QueryModel;
import nl.beeldbrug.adapters.dicom.net.RetrieveResult;
import nl.beeldbrug.gateway.bridge.Archive;
import nl.beeldbrug.gateway.consent.ReleaseLog;
import nl.beeldbrug.registry.consent.RequestContext;
import nl.beeldbrug.registry.imaging.ImagingStudySummary;
import nl.beeldbrug.registry.imaging.StudySearch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Beeldbrug as DICOM Q/R SCP (Study Root and Patient Root): C-FIND at PATIENT (patient root) and STUDY level from
 * the registry's study index, at SERIES and IMAGE level from the source archive of a released study; C-MOVE and
 * C-GET fetch a released study (series, instances) from its source archive into spool files, bounded in size,
 * which are sent and then removed. Every candidate is decided by the consent before anything is sent: a denied
 * study matches nothing and is retrieved as 0 sub-operations with status Success, exactly like an unknown one.
 * Each request leaves one audit record.
 */
final class QueryRetrieveService implements QueryHandler {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRetrieveService.class);

    private final QrRelease release;
    private final QrRequesters requesters;
    private final QueryRetrieveAudit audit;
    private final String aeTitle;
    private final int maxMatches;
    private final long maxRetrieveBytes;
    private final Path spoolDir;
    /** The audit of each located retrieval, until its sub-operations have ended. */
    private final Map<List<Path>, Pending> pending = Collections.synchronizedMap(new IdentityHashMap<>());

    QueryRetrieveService(QrRelease release, QrRequesters requesters, QueryRetrieveAudit audit, String aeTitle,
                         int maxMatches, long maxRetrieveBytes, Path spoolDir) {
        this.release = release;
        this.requesters = requesters;
        this.audit = audit;
        this.aeTitle = aeTitle;
        this.maxMatches = maxMatches;
        this.maxRetrieveBytes = maxRetrieveBytes;
        this.spoolDir = spoolDir;
        delete(leftovers(spoolDir)); // of a process that stopped in the middle of a retrieval
    }

    private static List<Path> leftovers(Path dir) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("qr-")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private record Pending(RequestContext context, ReleaseLog log, String patient, List<String> studies) {
    }

    @Override
    public void find(String model, Attributes keys, Predicate<Attributes> sink) {
        throw new UnsupportedOperationException("the calling AE title is needed");
    }

    @Override
    public List<Path> locate(String model, Attributes keys) {
        throw new UnsupportedOperationException("the calling AE title is needed");
    }

    @Override
    public void find(String callingAe, String model, Attributes keys, Predicate<Attributes> sink) throws Exception {
        RequestContext context = requesters.of(callingAe);
        ReleaseLog log = new ReleaseLog();
        int[] sent = {0};
        String outcome = "DIMSE 0xc000";
        try {
            String level = QrKeys.level(keys, QueryModel.PATIENT_ROOT.find().equals(model));
            Predicate<Attributes> counting = a -> {
                sent[0]++;
                return sink.test(QrKeys.answer(keys, a, level, aeTitle));
            };
            switch (level) {
                case "PATIENT" -> patients(keys, context, log, counting);
                case "STUDY" -> studies(keys, context, log, counting);
                default -> belowStudy(keys, level, context, log, counting);
            }
            outcome = null;
        } catch (DimseException e) {
            outcome = "DIMSE 0x" + Integer.toHexString(e.status());
            throw e;
        } finally {
            audit.query(outcome, aeTitle, callingAe, model, log.permittedPatients(), context, log);
            LOG.info("C-FIND from {}: {} matches{}", callingAe, sent[0], outcome == null ? "" : ", " + outcome);
        }
    }

    private void patients(Attributes keys, RequestContext context, ReleaseLog log, Predicate<Attributes> sink)
            throws DimseException {
        Optional<String> bsn = QrKeys.patient(keys);
        if (bsn.isEmpty()) {
            throw QrKeys.malformed("PATIENT level needs a Patient ID");
        }
        if (bsn.get().isEmpty()) {
            return;
        }
        List<ImagingStudySummary> studies = release.studies(StudySearch.forPatient(bsn.get()), maxMatches, context, log);
        if (!studies.isEmpty()) {
            Attributes p = new Attributes();
            p.setString(Tag.PatientID, VR.LO, bsn.get());
            p.setString(Tag.IssuerOfPatientID, VR.LO, nl.beeldbrug.registry.patient.Bsn.OID);
            p.setInt(Tag.NumberOfPatientRelatedStudies, VR.IS, studies.size());
            if (QrKeys.matches(keys, p)) {
                sink.test(p);
            }
        }
    }

    private void studies(Attributes keys, RequestContext context, ReleaseLog log, Predicate<Attributes> sink)
            throws DimseException {
        Optional<String> bsn = QrKeys.patient(keys);
        List<String> uids = QrKeys.uids(keys, Tag.StudyInstanceUID);
        Optional<String> accession = QrKeys.accession(keys);
        if (bsn.isEmpty() && uids.isEmpty() && accession.isEmpty()) {
            throw new DimseException("C-FIND: a query names a patient, a study or an accession number",
                    Dimse.CANNOT_UNDERSTAND);
        }
        if (bsn.isPresent() && bsn.get().isEmpty()) {
            return; // not a BSN: nobody here
        }
        StudySearch search = new StudySearch(bsn.orElse(null), uids, accession.map(List::of).orElse(List.of()),
                QrKeys.modalities(keys), List.of(), null, null, true);
        for (ImagingStudySummary s : release.studies(search, maxMatches, context, log)) {
            Attributes study = QrKeys.study(s);
            if (QrKeys.matches(keys, study) && !sink.test(study)) {
                return;
            }
        }
    }

    /** SERIES and IMAGE level: what the source archive holds of one released study. */
    private void belowStudy(Attributes keys, String level, RequestContext context, ReleaseLog log,
                            Predicate<Attributes> sink) throws DimseException, IOException {
        String studyUid = QrKeys.single(keys, Tag.StudyInstanceUID);
        String seriesUid = level.equals("IMAGE") ? QrKeys.single(keys, Tag.SeriesInstanceUID) : null;
        QrKeys.uids(keys, level.equals("IMAGE") ? Tag.SOPInstanceUID : Tag.SeriesInstanceUID);
        Optional<QrRelease.Released> study = release.study(studyUid, context, log);
        if (study.isEmpty()) {
            return;
        }
        Map<String, List<Archive.InstanceRef>> bySeries = new LinkedHashMap<>();
        for (Archive.InstanceRef i : study.get().archive().instances(studyUid)) {
            bySeries.computeIfAbsent(i.seriesUid(), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Archive.InstanceRef>> series : bySeries.entrySet()) {
            if (seriesUid != null && !seriesUid.equals(series.getKey())) {
                continue;
            }
            List<Attributes> records = new ArrayList<>();
            if (level.equals("SERIES")) {
                Attributes a = common(study.get().study(), series.getKey());
                a.setInt(Tag.NumberOfSeriesRelatedInstances, VR.IS, series.getValue().size());
                records.add(a);
            } else {
                for (Archive.InstanceRef i : series.getValue()) {
                    Attributes a = common(study.get().study(), series.getKey());
                    a.setString(Tag.SOPInstanceUID, VR.UI, i.sopInstanceUid());
                    if (i.sopClassUid() != null) {
                        a.setString(Tag.SOPClassUID, VR.UI, i.sopClassUid());
                    }
                    records.add(a);
                }
            }
            for (Attributes a : records) {
                if (QrKeys.matches(keys, a) && !sink.test(a)) {
                    return;
                }
            }
        }
    }

    private static Attributes common(ImagingStudySummary study, String seriesUid) {
        Attributes a = new Attributes();
        a.setString(Tag.StudyInstanceUID, VR.UI, study.studyInstanceUid());
        a.setString(Tag.PatientID, VR.LO, study.patientBsn());
        a.setString(Tag.IssuerOfPatientID, VR.LO, nl.beeldbrug.registry.patient.Bsn.OID);
        a.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        return a;
    }

    @Override
    public List<Path> locate(String callingAe, String model, Attributes keys) throws Exception {
        RequestContext context = requesters.of(callingAe);
        ReleaseLog log = new ReleaseLog();
        List<Path> files = new ArrayList<>();
        Set<String> asked = new LinkedHashSet<>();
        String patient = null;
        try {
            String level = QrKeys.level(keys, QueryModel.PATIENT_ROOT.move().equals(model)
                    || QueryModel.PATIENT_ROOT.get().equals(model));
            if (level.equals("PATIENT")) {
                throw QrKeys.malformed("retrieval of a whole patient is not offered");
            }
            asked.addAll(level.equals("STUDY") ? QrKeys.uids(keys, Tag.StudyInstanceUID)
                    : List.of(QrKeys.single(keys, Tag.StudyInstanceUID)));
            if (asked.isEmpty()) {
                throw QrKeys.malformed("a retrieval names a Study Instance UID");
            }
            String series = level.equals("STUDY") ? null
                    : level.equals("SERIES") ? null : QrKeys.single(keys, Tag.SeriesInstanceUID);
            List<String> seriesList = level.equals("SERIES") ? QrKeys.uids(keys, Tag.SeriesInstanceUID) : List.of();
            List<String> sops = level.equals("IMAGE") ? QrKeys.uids(keys, Tag.SOPInstanceUID) : List.of();
            if ((level.equals("SERIES") && seriesList.isEmpty()) || (level.equals("IMAGE") && sops.isEmpty())) {
                throw QrKeys.malformed("a " + level + " retrieval names its UIDs");
            }
            for (String studyUid : asked) {
                Optional<QrRelease.Released> study = release.study(studyUid, context, log);
                if (study.isEmpty()) {
                    continue;
                }
                patient = study.get().study().patientBsn();
                List<Archive.Scope> scopes = new ArrayList<>();
                if (level.equals("SERIES")) {
                    seriesList.forEach(s -> scopes.add(Archive.Scope.of(studyUid, s, null)));
                } else {
                    scopes.add(new Archive.Scope(studyUid, series, null, sops.isEmpty() ? null : Set.copyOf(sops)));
                }
                for (Archive.Scope scope : scopes) {
                    spool(study.get().archive(), scope, files);
                }
            }
        } catch (DimseException | RuntimeException e) {
            delete(files);
            String outcome = e instanceof DimseException d ? "DIMSE 0x" + Integer.toHexString(d.status()) : e.toString();
            audit.retrieve(outcome, aeTitle, callingAe, null, List.copyOf(asked), context, log);
            throw e;
        } catch (IOException e) {
            delete(files);
            LOG.warn("C-MOVE/C-GET from {}: source archive failed: {}", callingAe, e.toString());
            audit.retrieve("source archive failed", aeTitle, callingAe, null, List.copyOf(asked), context, log);
            throw new DimseException("retrieve from the source archive", Dimse.OUT_OF_RESOURCES_SUB_OPERATIONS);
        }
        pending.put(files, new Pending(context, log, files.isEmpty() ? null : patient, List.copyOf(asked)));
        return files;
    }

    /** Fetches the scope into spool files, refusing (0xA700) once the retrieval grows beyond its bound. */
    private void spool(Archive archive, Archive.Scope scope, List<Path> files) throws IOException {
        Files.createDirectories(spoolDir);
        long[] total = {files.stream().mapToLong(QueryRetrieveService::size).sum()};
        archive.retrieve(scope, in -> {
            Path f = Files.createTempFile(spoolDir, "qr-", ".dcm");
            files.add(f);
            try (OutputStream out = Files.newOutputStream(f)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    total[0] += n;
                    if (total[0] > maxRetrieveBytes) {
                        throw new DimseException("retrieval larger than " + maxRetrieveBytes + " bytes", Dimse.OUT_OF_RESOURCES);
                    }
                    out.write(buffer, 0, n);
                }
            }
        });
    }

    @Override
    public void retrieved(String callingAe, List<Path> files, RetrieveResult result) {
        Pending p = pending.remove(files);
        delete(files);
        if (p == null) { // refused before locating (unknown move destination): on record all the same
            audit.retrieve("DIMSE 0x" + Integer.toHexString(result.status()), aeTitle, callingAe, null, List.of(),
                    requesters.of(callingAe), new ReleaseLog());
            return;
        }
        String outcome = result.status() == Dimse.SUCCESS ? null : "DIMSE 0x" + Integer.toHexString(result.status())
                + " (" + result.completed() + " completed, " + result.failed() + " failed)";
        audit.retrieve(outcome, aeTitle, callingAe, result.completed() > 0 ? p.patient() : null, p.studies(),
                p.context(), p.log());
        LOG.info("C-MOVE/C-GET from {}: {} of {} instances sent", callingAe, result.completed(), files.size());
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void delete(List<Path> files) {
        for (Path f : files) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                LOG.warn("spool file not removed: {}", e.getMessage());
            }
        }
    }
}
