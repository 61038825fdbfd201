package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicomweb.DicomJson;
import nl.beeldbrug.adapters.dicomweb.DicomWebClient;
import nl.beeldbrug.registry.bridge.ArchiveStudy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** An archive polled over DICOMweb: QIDO-RS for the study list, WADO-RS metadata for a study's instances. */
final class QidoArchive implements ArchiveConnector {

    private final DicomWebClient web;
    private final Path spool;

    QidoArchive(DicomWebClient web, Path spool) {
        this.web = web;
        this.spool = spool;
    }

    @Override
    public Map<String, Integer> studies(String fromDate) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        if (fromDate != null) {
            query.put("StudyDate", fromDate + "-");
        }
        query.put("includefield", "00201208");
        query.put("limit", "100000");
        Map<String, Integer> studies = new LinkedHashMap<>();
        for (DicomJson study : web.searchStudies(query)) {
            String count = study.string(Tag.NumberOfStudyRelatedInstances);
            studies.put(study.string(Tag.StudyInstanceUID), count == null ? -1 : Integer.parseInt(count.trim()));
        }
        return studies;
    }

    @Override
    public ArchiveStudy read(String studyUid) throws IOException {
        return DicomHeaders.study(studyUid, web.retrieveStudyMetadata(studyUid));
    }

    @Override
    public Optional<Attributes> instance(String studyUid, String seriesUid, String sopInstanceUid) throws IOException {
        AtomicReference<Attributes> found = new AtomicReference<>();
        web.retrieveInstance(studyUid, seriesUid, sopInstanceUid,
                (type, headers, body) -> found.set(DicomFile.read(body, spool).dataset()));
        return Optional.ofNullable(found.get());
    }
}
