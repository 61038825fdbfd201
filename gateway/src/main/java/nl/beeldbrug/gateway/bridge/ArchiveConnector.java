package nl.beeldbrug.gateway.bridge;

import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.registry.bridge.ArchiveStudy;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** What the bridge asks a polled archive (QIDO-RS or C-FIND, plus WADO-RS or C-GET for single instances). */
interface ArchiveConnector {

    /**
     * The studies with a Study Date from {@code fromDate} on (YYYYMMDD; null = every study), each with its
     * number of instances when the archive tells (else -1).
     */
    Map<String, Integer> studies(String fromDate) throws IOException;

    /** The study's header and every instance, with what its rejection notes reject. */
    ArchiveStudy read(String studyUid) throws IOException;

    /** One instance's data set (a rejection note or a report), or empty when the archive does not have it. */
    Optional<Attributes> instance(String studyUid, String seriesUid, String sopInstanceUid) throws IOException;
}
