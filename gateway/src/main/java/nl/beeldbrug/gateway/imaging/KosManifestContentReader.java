package nl.beeldbrug.gateway.imaging;

import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.kos.InstanceReference;
import nl.beeldbrug.adapters.dicom.kos.KosManifest;
import nl.beeldbrug.adapters.dicom.kos.KosManifestParser;
import nl.beeldbrug.registry.imaging.ManifestContentReader;
import nl.beeldbrug.registry.imaging.ManifestContents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry's {@link ManifestContentReader} with adapters/dicom: parses a KOS manifest (DICOM Part 10,
 * XDS-I.b) and collects the distinct series and instances (SOP Instance UIDs) it references for the entry's study. Bytes that
 * are not a readable manifest give empty: the counts stay unknown, the registration goes on.
 */
public final class KosManifestContentReader implements ManifestContentReader {

    private static final Logger log = LoggerFactory.getLogger(KosManifestContentReader.class);

    @Override
    public Optional<ManifestContents> read(byte[] manifest, String studyInstanceUid) {
        KosManifest kos;
        try {
            kos = KosManifestParser.parse(DicomFile.read(new ByteArrayInputStream(manifest), null).dataset());
        } catch (IOException | RuntimeException e) {
            log.debug("KOS manifest not readable, its series and instances stay unknown: {}", e.getClass().getSimpleName());
            return Optional.empty();
        }
        Map<String, Set<String>> instancesBySeries = new LinkedHashMap<>();
        for (InstanceReference reference : kos.references()) {
            if (studyInstanceUid != null && reference.studyInstanceUid() != null
                    && !studyInstanceUid.equals(reference.studyInstanceUid())) {
                continue; // evidence of another study
            }
            if (reference.seriesInstanceUid() == null || reference.seriesInstanceUid().isEmpty()
                    || reference.sopInstanceUid() == null || reference.sopInstanceUid().isEmpty()) {
                continue;
            }
            instancesBySeries.computeIfAbsent(reference.seriesInstanceUid(), s -> new LinkedHashSet<>())
                    .add(reference.sopInstanceUid());
        }
        if (instancesBySeries.isEmpty()) {
            return Optional.empty();
        }
        List<ManifestContents.Series> series = new ArrayList<>();
        instancesBySeries.forEach((uid, instances) -> series.add(ManifestContents.Series.of(uid, instances)));
        return Optional.of(new ManifestContents(series));
    }
}
