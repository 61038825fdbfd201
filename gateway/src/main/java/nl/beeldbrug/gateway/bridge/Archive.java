package nl.beeldbrug.gateway.bridge;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A connected archive as the bridge uses it: what it holds of a study, its instances one at a time (never a whole
 * study in memory), their metadata, and storing into it. Reached over DICOMweb ({@link DicomWebArchive}) or
 * DIMSE ({@link DimseArchive}).
 */
public interface Archive {

    /** The instances of a study the archive holds (empty when none). */
    List<InstanceRef> instances(String studyUid) throws IOException;

    /** Whether the archive holds the study at all (a study-level query; by default: any instance of it). */
    default boolean holdsStudy(String studyUid) throws IOException {
        return !instances(studyUid).isEmpty();
    }

    /**
     * Each instance of the scope, as a PS3.10 stream valid only during the call, in the archive's order.
     * Instances outside {@code only} (when not null) are skipped.
     */
    void retrieve(Scope scope, InstanceSink sink) throws IOException;

    /** The DICOM JSON metadata (PS3.18 F.2, bulk data left out) of each instance of the scope. */
    void metadata(Scope scope, Consumer<JsonNode> sink) throws IOException;

    /** Stores PS3.10 files; returns the SOP Instance UIDs the archive did not accept. */
    Set<String> store(List<Path> files) throws IOException;

    /** One instance: its series, SOP instance and SOP class. */
    record InstanceRef(String seriesUid, String sopInstanceUid, String sopClassUid) {
    }

    /**
     * What to retrieve: a study, one of its series, or one instance; {@code only} narrows a series to these
     * SOP Instance UIDs (null = all).
     */
    record Scope(String studyUid, String seriesUid, String sopInstanceUid, Set<String> only) {
        public static Scope study(String study) {
            return new Scope(study, null, null, null);
        }

        public static Scope of(String study, String series, String instance) {
            return new Scope(study, series, instance, null);
        }

        public boolean wants(String sopInstanceUid) {
            return (only == null || only.contains(sopInstanceUid))
                    && (this.sopInstanceUid == null || this.sopInstanceUid.equals(sopInstanceUid));
        }
    }

    /** Receives one instance. */
    @FunctionalInterface
    interface InstanceSink {
        void instance(InputStream ps10) throws IOException;
    }
}
