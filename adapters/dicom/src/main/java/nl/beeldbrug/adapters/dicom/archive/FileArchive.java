package nl.beeldbrug.adapters.dicom.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import nl.beeldbrug.adapters.dicom.data.Attributes;
import nl.beeldbrug.adapters.dicom.data.Element;
import nl.beeldbrug.adapters.dicom.data.VR;
import nl.beeldbrug.adapters.dicom.dict.Tag;
import nl.beeldbrug.adapters.dicom.file.DicomFile;
import nl.beeldbrug.adapters.dicom.net.Dimse;
import nl.beeldbrug.adapters.dicom.net.QueryHandler;
import nl.beeldbrug.adapters.dicom.net.ReceivedInstance;
import nl.beeldbrug.adapters.dicom.net.StoreHandler;

/**
 * A small file-system archive: stores received instances as {@code dir/<study>/<series>/<sop>.dcm} and answers
 * C-FIND (patient and study root; PATIENT, STUDY, SERIES, IMAGE) and C-MOVE/C-GET from an in-memory index.
 * Used as the default SCP back end, as a C-GET receiver and by the tests; a cache, not the national index.
 */
public final class FileArchive implements StoreHandler, QueryHandler {
    private static final int[] NOT_MATCHED = {Tag.QueryRetrieveLevel, Tag.SpecificCharacterSet,
        Tag.NumberOfStudyRelatedSeries, Tag.NumberOfStudyRelatedInstances, Tag.NumberOfSeriesRelatedInstances,
        Tag.NumberOfPatientRelatedStudies, Tag.ModalitiesInStudy, Tag.SOPClassesInStudy};
    private static final int[] INSTANCE_TAGS = {Tag.SpecificCharacterSet, Tag.PatientName, Tag.PatientID,
        Tag.PatientBirthDate, Tag.PatientSex, Tag.StudyInstanceUID, Tag.StudyDate, Tag.StudyTime, Tag.AccessionNumber,
        Tag.StudyID, Tag.StudyDescription, Tag.ReferringPhysicianName, Tag.SeriesInstanceUID, Tag.Modality,
        Tag.SeriesNumber, Tag.SeriesDescription, Tag.SOPInstanceUID, Tag.SOPClassUID, Tag.InstanceNumber};

    private record Entry(Attributes attrs, Path file) {
    }

    private final Path dir;
    private final Map<String, Entry> instances = new LinkedHashMap<>();

    public FileArchive(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".dcm")).toList()) {
                index(DicomFile.read(p).dataset(), p);
            }
        }
    }

    public Path directory() {
        return dir;
    }

    public synchronized int size() {
        return instances.size();
    }

    public synchronized Path file(String sopInstanceUid) {
        Entry e = instances.get(sopInstanceUid);
        return e == null ? null : e.file;
    }

    @Override
    public int store(ReceivedInstance in) throws IOException {
        Attributes ds = in.dataset();
        String study = safe(ds.getString(Tag.StudyInstanceUID, "unknown"));
        String series = safe(ds.getString(Tag.SeriesInstanceUID, "unknown"));
        Path target = dir.resolve(study).resolve(series).resolve(safe(in.sopInstanceUid()) + ".dcm");
        Files.createDirectories(target.getParent());
        Files.move(in.file(), target, StandardCopyOption.REPLACE_EXISTING);
        index(ds, target);
        return Dimse.SUCCESS;
    }

    /** Adds a file already on disk (copied into the archive). */
    public void add(Path file) throws IOException {
        Attributes ds = DicomFile.read(file).dataset();
        Path target = dir.resolve(safe(ds.getString(Tag.StudyInstanceUID, "unknown")))
                .resolve(safe(ds.getString(Tag.SeriesInstanceUID, "unknown")))
                .resolve(safe(ds.getString(Tag.SOPInstanceUID)) + ".dcm");
        Files.createDirectories(target.getParent());
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
        index(ds, target);
    }

    private synchronized void index(Attributes ds, Path file) {
        Attributes a = new Attributes();
        for (int t : INSTANCE_TAGS) {
            Element e = ds.get(t);
            if (e != null && e.value() instanceof byte[] b) {
                a.put(t, e.vr(), b.clone());
            }
        }
        instances.put(ds.getString(Tag.SOPInstanceUID), new Entry(a, file));
    }

    private static String safe(String uid) {
        return uid.replaceAll("[^0-9A-Za-z.]", "_");
    }

    @Override
    public void find(String model, Attributes keys, Predicate<Attributes> sink) {
        String level = keys.getString(Tag.QueryRetrieveLevel, "STUDY");
        int unique = uniqueKey(level);
        Map<String, List<Entry>> groups = new LinkedHashMap<>();
        synchronized (this) {
            for (Entry e : instances.values()) {
                if (KeyMatcher.matches(keys, e.attrs, NOT_MATCHED)) {
                    groups.computeIfAbsent(e.attrs.getString(unique, ""), k -> new ArrayList<>()).add(e);
                }
            }
        }
        for (List<Entry> group : groups.values()) {
            if (!sink.test(response(keys, level, group))) {
                return;
            }
        }
    }

    private Attributes response(Attributes keys, String level, List<Entry> group) {
        Attributes first = group.get(0).attrs;
        Attributes r = new Attributes();
        String cs = first.getString(Tag.SpecificCharacterSet);
        if (cs != null) {
            r.setString(Tag.SpecificCharacterSet, VR.CS, first.getStrings(Tag.SpecificCharacterSet));
        }
        r.setString(Tag.QueryRetrieveLevel, VR.CS, level);
        for (Element k : keys.elements()) {
            int t = k.tag();
            if (t == Tag.QueryRetrieveLevel || t == Tag.SpecificCharacterSet) {
                continue;
            }
            if (t == Tag.NumberOfStudyRelatedInstances || t == Tag.NumberOfSeriesRelatedInstances) {
                r.setInt(t, VR.IS, countIn(level, first, t));
            } else if (t == Tag.NumberOfStudyRelatedSeries) {
                r.setInt(t, VR.IS, (int) distinct(Tag.StudyInstanceUID, first, Tag.SeriesInstanceUID).size());
            } else if (t == Tag.ModalitiesInStudy) {
                r.setString(t, VR.CS, distinct(Tag.StudyInstanceUID, first, Tag.Modality).toArray(String[]::new));
            } else {
                Element e = first.get(t);
                r.put(t, k.vr(), e == null ? null : e.value());
            }
        }
        return r;
    }

    private synchronized int countIn(String level, Attributes first, int countTag) {
        int scope = countTag == Tag.NumberOfStudyRelatedInstances ? Tag.StudyInstanceUID : Tag.SeriesInstanceUID;
        String v = first.getString(scope);
        return (int) instances.values().stream().filter(e -> v != null && v.equals(e.attrs.getString(scope))).count();
    }

    private synchronized Set<String> distinct(int scope, Attributes first, int tag) {
        String v = first.getString(scope);
        Set<String> s = new LinkedHashSet<>();
        for (Entry e : instances.values()) {
            if (v != null && v.equals(e.attrs.getString(scope)) && e.attrs.getString(tag) != null) {
                s.add(e.attrs.getString(tag));
            }
        }
        return s;
    }

    private static int uniqueKey(String level) {
        return switch (level) {
            case "PATIENT" -> Tag.PatientID;
            case "SERIES" -> Tag.SeriesInstanceUID;
            case "IMAGE" -> Tag.SOPInstanceUID;
            default -> Tag.StudyInstanceUID;
        };
    }

    @Override
    public synchronized List<Path> locate(String model, Attributes keys) {
        List<Path> out = new ArrayList<>();
        for (Entry e : instances.values()) {
            if (KeyMatcher.matches(keys, e.attrs, NOT_MATCHED)) {
                out.add(e.file);
            }
        }
        return out;
    }
}
