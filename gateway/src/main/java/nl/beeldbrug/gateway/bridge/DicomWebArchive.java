package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import nl.beeldbrug.adapters.dicomweb.DicomJson;
import nl.beeldbrug.adapters.dicomweb.DicomWebClient;
import nl.beeldbrug.adapters.dicomweb.DicomWebException;
import nl.beeldbrug.adapters.dicomweb.StowResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** An archive reached over DICOMweb: QIDO-RS for what it holds, WADO-RS part by part, STOW-RS to store. */
final class DicomWebArchive implements Archive {

    static final int SERIES_UID = 0x0020000E;
    static final int SOP_INSTANCE_UID = 0x00080018;
    static final int SOP_CLASS_UID = 0x00080016;

    private final DicomWebClient web;

    DicomWebArchive(DicomWebClient web) {
        this.web = web;
    }

    @Override
    public List<InstanceRef> instances(String studyUid) throws IOException {
        List<InstanceRef> out = new ArrayList<>();
        for (DicomJson series : absentIsEmpty(() -> web.searchSeries(studyUid, Map.of()))) {
            String seriesUid = series.string(SERIES_UID);
            for (DicomJson i : absentIsEmpty(() -> web.searchInstances(studyUid, seriesUid, Map.of()))) {
                out.add(new InstanceRef(seriesUid, i.string(SOP_INSTANCE_UID), i.string(SOP_CLASS_UID)));
            }
        }
        return out;
    }

    /** QIDO-RS study search for the Study Instance UID. */
    @Override
    public boolean holdsStudy(String studyUid) throws IOException {
        return !absentIsEmpty(() -> web.searchStudies(Map.of("StudyInstanceUID", studyUid))).isEmpty();
    }

    @Override
    public void retrieve(Scope scope, InstanceSink sink) throws IOException {
        DicomWebClient.PartHandler part = (type, headers, body) -> sink.instance(body);
        try {
            if (scope.sopInstanceUid() != null) {
                web.retrieveInstance(scope.studyUid(), scope.seriesUid(), scope.sopInstanceUid(), part);
            } else if (scope.only() != null) {
                for (String sop : scope.only()) {
                    web.retrieveInstance(scope.studyUid(), scope.seriesUid(), sop, part);
                }
            } else if (scope.seriesUid() != null) {
                web.retrieveSeries(scope.studyUid(), scope.seriesUid(), part);
            } else {
                web.retrieveStudy(scope.studyUid(), part);
            }
        } catch (DicomWebException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    @Override
    public void metadata(Scope scope, Consumer<JsonNode> sink) throws IOException {
        List<DicomJson> all = absentIsEmpty(() -> scope.seriesUid() == null ? web.retrieveStudyMetadata(scope.studyUid())
                : web.retrieveSeriesMetadata(scope.studyUid(), scope.seriesUid()));
        for (DicomJson d : all) {
            if (scope.wants(d.string(SOP_INSTANCE_UID))) {
                sink.accept(d.node());
            }
        }
    }

    @Override
    public Set<String> store(List<Path> files) throws IOException {
        StowResult r = web.store(files);
        if (r.httpStatus() / 100 != 2 && r.httpStatus() != 409) {
            throw new IOException("STOW-RS answered HTTP " + r.httpStatus());
        }
        return new LinkedHashSet<>(r.failed());
    }

    private interface Call {
        List<DicomJson> call() throws IOException;
    }

    private static List<DicomJson> absentIsEmpty(Call call) throws IOException {
        try {
            return call.call();
        } catch (DicomWebException e) {
            if (e.status() == 404) {
                return List.of();
            }
            throw e;
        }
    }
}
