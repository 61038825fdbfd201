package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.net.Association;
import nl.beeldbrug.adapters.dicom.net.DicomClient;
import nl.beeldbrug.adapters.dicom.net.Dimse;
import nl.beeldbrug.adapters.dicom.net.DimseScu;
import nl.beeldbrug.adapters.dicom.net.QueryModel;
import nl.beeldbrug.adapters.dicom.net.Queries;
import nl.beeldbrug.adapters.dicom.net.ReceivedInstance;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.adapters.dicom.net.RetrieveResult;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An archive reached over DIMSE: C-FIND for what it holds, C-GET to fetch (each instance arrives as a spool file
 * and is handed on before the next one is acknowledged), C-STORE to store.
 */
final class DimseArchive implements Archive {

    private final DicomClient dicom;
    private final RemoteAe remote;

    DimseArchive(DicomClient dicom, RemoteAe remote) {
        this.dicom = dicom;
        this.remote = remote;
    }

    @Override
    public List<InstanceRef> instances(String studyUid) throws IOException {
        List<InstanceRef> out = new ArrayList<>();
        for (Attributes series : dicom.findSeries(remote, studyUid)) {
            String seriesUid = series.getString(Tag.SeriesInstanceUID);
            if (seriesUid == null) {
                continue;
            }
            for (Attributes i : dicom.findInstances(remote, studyUid, seriesUid)) {
                out.add(new InstanceRef(seriesUid, i.getString(Tag.SOPInstanceUID), i.getString(Tag.SOPClassUID)));
            }
        }
        return out;
    }

    /** C-FIND at STUDY level (Study Root) for the Study Instance UID. */
    @Override
    public boolean holdsStudy(String studyUid) throws IOException {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        keys.put(Tag.NumberOfStudyRelatedInstances, VR.IS, null);
        return !dicom.find(remote, QueryModel.STUDY_ROOT, keys).isEmpty();
    }

    @Override
    public void retrieve(Scope scope, InstanceSink sink) throws IOException {
        get(scope, instance -> {
            try (InputStream in = Files.newInputStream(instance.file())) {
                sink.instance(in);
            }
        });
    }

    @Override
    public void metadata(Scope scope, Consumer<JsonNode> sink) throws IOException {
        get(scope, instance -> sink.accept(DicomJsonWriter.toJson(instance.dataset())));
    }

    private interface Received {
        void accept(ReceivedInstance instance) throws IOException;
    }

    /** C-GET of the scope; a failing consumer stops handing on (and is rethrown) but lets the C-GET finish. */
    private void get(Scope scope, Received consumer) throws IOException {
        Set<String> classes = new LinkedHashSet<>();
        for (InstanceRef i : instances(scope.studyUid())) {
            if ((scope.seriesUid() == null || scope.seriesUid().equals(i.seriesUid())) && scope.wants(i.sopInstanceUid())
                    && i.sopClassUid() != null) {
                classes.add(i.sopClassUid());
            }
        }
        if (classes.isEmpty()) {
            return; // nothing of the scope is there
        }
        IOException[] failure = new IOException[1];
        RetrieveResult r = dicom.get(remote, QueryModel.STUDY_ROOT, keys(scope), classes, instance -> {
            if (failure[0] != null || !scope.wants(instance.sopInstanceUid())) {
                return Dimse.SUCCESS;
            }
            try {
                consumer.accept(instance);
            } catch (IOException e) {
                failure[0] = e;
                return Dimse.OUT_OF_RESOURCES;
            }
            return Dimse.SUCCESS;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        if (r.status() != Dimse.SUCCESS && r.status() != Dimse.SUB_OPERATIONS_WARNING && r.completed() == 0) {
            throw new IOException("C-GET answered status 0x" + Integer.toHexString(r.status()));
        }
    }

    static Attributes keys(Scope scope) {
        Attributes k = Queries.retrieveStudy(scope.studyUid());
        if (scope.seriesUid() != null) {
            k.setString(Tag.QueryRetrieveLevel, VR.CS, "SERIES");
            k.setString(Tag.SeriesInstanceUID, VR.UI, scope.seriesUid());
        }
        if (scope.sopInstanceUid() != null || scope.only() != null) {
            k.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
            k.setString(Tag.SOPInstanceUID, VR.UI, scope.sopInstanceUid() != null ? new String[] {scope.sopInstanceUid()}
                    : scope.only().toArray(String[]::new));
        }
        return k;
    }

    @Override
    public Set<String> store(List<Path> files) throws IOException {
        Set<String> refused = new LinkedHashSet<>();
        try (Association as = dicom.connect(remote, DicomClient.storageContexts(files), List.of())) {
            for (Path f : files) {
                int status = DimseScu.store(as, f, null, 0);
                if (status != Dimse.SUCCESS && (status & 0xF000) != 0xB000) {
                    DicomFile df = DicomFile.read(f);
                    refused.add(df.dataset().getString(Tag.SOPInstanceUID));
                }
            }
        }
        return refused;
    }
}
