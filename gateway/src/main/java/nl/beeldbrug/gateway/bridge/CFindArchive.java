package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.net.Dimse;
import nl.beeldbrug.adapters.dicom.net.DicomClient;
import nl.beeldbrug.adapters.dicom.net.QueryModel;
import nl.beeldbrug.adapters.dicom.net.Queries;
import nl.beeldbrug.adapters.dicom.net.RemoteAe;
import nl.beeldbrug.registry.bridge.ArchiveInstance;
import nl.beeldbrug.registry.bridge.ArchiveStudy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An archive polled over DIMSE: C-FIND (Study Root) at STUDY level for the study list, at SERIES and IMAGE level
 * for a study's instances; C-GET for a single instance (rejection notes, reports).
 */
final class CFindArchive implements ArchiveConnector {

    private final DicomClient dicom;
    private final RemoteAe archive;

    CFindArchive(DicomClient dicom, RemoteAe archive) {
        this.dicom = dicom;
        this.archive = archive;
    }

    @Override
    public Map<String, Integer> studies(String fromDate) throws IOException {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "STUDY");
        keys.put(Tag.StudyInstanceUID, VR.UI, null);
        keys.put(Tag.NumberOfStudyRelatedInstances, VR.IS, null);
        if (fromDate != null) {
            keys.setString(Tag.StudyDate, VR.DA, fromDate + "-");
        }
        Map<String, Integer> studies = new LinkedHashMap<>();
        for (Attributes match : dicom.find(archive, QueryModel.STUDY_ROOT, keys)) {
            studies.put(match.getString(Tag.StudyInstanceUID), match.getInt(Tag.NumberOfStudyRelatedInstances, -1));
        }
        return studies;
    }

    @Override
    public ArchiveStudy read(String studyUid) throws IOException {
        Attributes keys = Queries.studyKeys();
        keys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        keys.put(Tag.IssuerOfPatientID, VR.LO, null);
        keys.put(Tag.PatientSex, VR.CS, null);
        keys.put(Tag.ReferringPhysicianName, VR.PN, null);
        keys.newSequence(Tag.OtherPatientIDsSequence);
        List<Attributes> found = dicom.find(archive, QueryModel.STUDY_ROOT, keys);
        if (found.isEmpty()) {
            return new ArchiveStudy(studyUid, null, null, null, null, null, null, null, null, null, List.of(), Map.of());
        }
        Attributes header = found.get(0);
        List<ArchiveInstance> instances = new ArrayList<>();
        Map<String, String> rejections = new LinkedHashMap<>();
        Attributes seriesKeys = Queries.seriesKeys(studyUid);
        seriesKeys.put(Tag.BodyPartExamined, VR.CS, null);
        for (Attributes series : dicom.find(archive, QueryModel.STUDY_ROOT, seriesKeys)) {
            String seriesUid = series.getString(Tag.SeriesInstanceUID);
            for (Attributes image : dicom.find(archive, QueryModel.STUDY_ROOT, Queries.instanceKeys(studyUid, seriesUid))) {
                ArchiveInstance instance = new ArchiveInstance(seriesUid, image.getString(Tag.SOPClassUID),
                        image.getString(Tag.SOPInstanceUID), series.getString(Tag.Modality), series.getString(Tag.BodyPartExamined));
                instances.add(instance);
                if (instance.isKeyObject()) {
                    instance(studyUid, seriesUid, instance.sopInstanceUid())
                            .ifPresent(kos -> rejections.putAll(DicomHeaders.rejections(kos)));
                }
            }
        }
        return DicomHeaders.study(header, instances, rejections);
    }

    @Override
    public Optional<Attributes> instance(String studyUid, String seriesUid, String sopInstanceUid) throws IOException {
        Attributes keys = new Attributes();
        keys.setString(Tag.QueryRetrieveLevel, VR.CS, "IMAGE");
        keys.setString(Tag.StudyInstanceUID, VR.UI, studyUid);
        keys.setString(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        keys.setString(Tag.SOPInstanceUID, VR.UI, sopInstanceUid);
        AtomicReference<Attributes> got = new AtomicReference<>();
        List<String> classes = List.of(ArchiveInstance.KOS, ArchiveInstance.ENCAPSULATED_PDF,
                "1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33");
        dicom.get(archive, QueryModel.STUDY_ROOT, keys, classes, received -> {
            got.set(DicomFile.read(received.file()).dataset());
            return Dimse.SUCCESS;
        });
        return Optional.ofNullable(got.get());
    }
}
