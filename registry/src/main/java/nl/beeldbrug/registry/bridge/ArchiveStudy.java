package nl.beeldbrug.registry.bridge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A study as a connected archive holds it: the study-level header and every instance, with the instances that
 * IOCM rejection notes of the study reject. {@code toString()} names no patient data.
 *
 * @param studyDate   DA (YYYYMMDD), may be null
 * @param studyTime   TM, may be null
 * @param rejections  rejected SOP Instance UID → the reason code of the note (e.g. 113001)
 */
public record ArchiveStudy(String studyInstanceUid, DicomPatient patient, String patientName, String patientBirthDate,
                           String patientSex, String accessionNumber, String studyDate, String studyTime,
                           String studyDescription, String referringPhysician, List<ArchiveInstance> instances,
                           Map<String, String> rejections) {

    public ArchiveStudy {
        Objects.requireNonNull(studyInstanceUid, "studyInstanceUid");
        patient = Objects.requireNonNullElse(patient, DicomPatient.of(null, null));
        instances = List.copyOf(instances);
        rejections = Map.copyOf(Objects.requireNonNullElse(rejections, Map.of()));
    }

    /** The instances a manifest lists: everything except key objects (manifests, notes) and rejected instances. */
    public List<ArchiveInstance> manifestInstances() {
        return instances.stream().filter(i -> !i.isKeyObject() && !rejections.containsKey(i.sopInstanceUid())).toList();
    }

    /** The report instances (SR, encapsulated PDF) that are not rejected. */
    public List<ArchiveInstance> reports() {
        return manifestInstances().stream().filter(ArchiveInstance::isReport).toList();
    }

    /** Distinct modalities of the listed instances, sorted (KO, SR, DOC and PR excluded when there are images). */
    public Set<String> modalities() {
        Set<String> all = new TreeSet<>();
        manifestInstances().forEach(i -> {
            if (i.modality() != null && !i.modality().isBlank()) {
                all.add(i.modality().trim());
            }
        });
        Set<String> images = new TreeSet<>(all);
        images.removeAll(Set.of("KO", "SR", "DOC", "PR"));
        return images.isEmpty() ? all : images;
    }

    /** Distinct Body Part Examined values of the listed instances, sorted. */
    public Set<String> bodyParts() {
        Set<String> parts = new TreeSet<>();
        manifestInstances().forEach(i -> {
            if (i.bodyPart() != null && !i.bodyPart().isBlank()) {
                parts.add(i.bodyPart().trim().toUpperCase(java.util.Locale.ROOT));
            }
        });
        return parts;
    }

    /** Changes whenever an instance is added or removed, a rejection arrives or the patient identifiers change. */
    public String fingerprint() {
        TreeMap<String, String> sorted = new TreeMap<>();
        instances.forEach(i -> sorted.put(i.sopInstanceUid(), i.seriesInstanceUid()));
        StringBuilder s = new StringBuilder();
        s.append(patient.patientId()).append('|').append(patient.issuerOfPatientId());
        patient.otherPatientIds().forEach(o -> s.append('|').append(o.patientId()).append('^').append(o.issuerOfPatientId()));
        s.append('\n');
        sorted.forEach((k, v) -> s.append(k).append(rejections.containsKey(k) ? "!" : "").append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ArchiveStudy[" + studyInstanceUid + ", instances=" + instances.size() + ", rejected=" + rejections.size() + "]";
    }
}
